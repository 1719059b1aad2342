namespace Komlogd.Core.Store;

/// <summary>
/// The store's schema, as an append-only list: a released migration is never edited, a change is a new
/// entry. <c>schema_migrations</c> records which ones a database has.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE metrics(
                id   INTEGER PRIMARY KEY,
                uri  TEXT NOT NULL UNIQUE,
                type INTEGER NOT NULL CHECK (type IN (1, 2))
            );
            -- value: the text of a datasource, the decimal of a datapoint in invariant text form (exact).
            CREATE TABLE samples(
                metric_id INTEGER NOT NULL REFERENCES metrics(id),
                t         INTEGER NOT NULL,
                value     TEXT NOT NULL,
                PRIMARY KEY (metric_id, t)
            );
            """),
        // The export outbox (docs/store.md, docs/export.md): seq numbers rows in commit order, and a value that
        // replaces another at the same uri and time takes the next number, so an exporter's cursor sees it again.
        // seq is the rowid (INTEGER PRIMARY KEY), so the table keeps two b-trees as before and the insert path
        // its cost; today's rowids become the seq of today's rows. export_cursors: the last seq each export
        // target has acknowledged.
        (2, """
            CREATE TABLE samples_v2(
                seq       INTEGER PRIMARY KEY,
                metric_id INTEGER NOT NULL REFERENCES metrics(id),
                t         INTEGER NOT NULL,
                value     TEXT NOT NULL,
                UNIQUE (metric_id, t)
            );
            INSERT INTO samples_v2(seq, metric_id, t, value) SELECT rowid, metric_id, t, value FROM samples ORDER BY rowid;
            DROP TABLE samples;
            ALTER TABLE samples_v2 RENAME TO samples;
            CREATE TABLE export_cursors(
                target   TEXT PRIMARY KEY,
                seq      INTEGER NOT NULL,
                saved_at INTEGER NOT NULL
            );
            """),
        // Metric identification (docs/identification.md, docs/store.md): per datasource, what its model has learnt
        // (DatasourceModel.ToJson; NULL until it learns something) and its supplies (NULL: absent, create what is
        // found; '[]': none; a JSON list: only those names). Version 3 is reserved, 4 is code (KpackUriMigration).
        // ON DELETE CASCADE: migration 4 merges a uri into another by deleting its metrics row.
        (5, """
            CREATE TABLE datasource_models(
                metric_id INTEGER PRIMARY KEY REFERENCES metrics(id) ON DELETE CASCADE,
                model     TEXT,
                supplies  TEXT
            );
            """),
    ];
}
