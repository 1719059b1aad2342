using Komlogd.Core.Store;
using Microsoft.Data.Sqlite;

namespace Komlogd.Core.Tests;

/// <summary>A store file as an older komlogd left it, for the migration tests.</summary>
internal static class OldStore
{
    /// <param name="file">The database file to create.</param>
    /// <param name="migrations">How many of <see cref="Migrations.All"/> to run, from the first.</param>
    /// <param name="applied">The versions recorded as applied: <c>(1, 0), (2, 0)</c>.</param>
    /// <param name="rows">INSERT statements for the rows the old store held.</param>
    public static void Create(string file, int migrations, string applied, string rows)
    {
        using var db = new SqliteConnection($"Data Source={file};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
            {string.Join('\n', Migrations.All.Take(migrations).Select(m => m.Sql))}
            INSERT INTO schema_migrations VALUES {applied};
            {rows}
            """;
        cmd.ExecuteNonQuery();
    }
}
