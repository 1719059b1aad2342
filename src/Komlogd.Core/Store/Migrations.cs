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
    ];
}
