using Komlogd.Core.Store;

namespace Komlogd.Core.Tests;

/// <summary>
/// Store migration 4 on a store as the code before issue 17 wrote it (schema 1, kpack_linux's <c>mem</c> and
/// squashed host levels): the history moves to the original's names, nothing else moves, once.
/// </summary>
public sealed class KpackUriMigrationTests : IDisposable
{
    private readonly TempDir _dir = new("kpackmigration");

    private const string Old = "pkg.kpack_linux.db_example_org.system.resources";
    private const string New = "pkg.kpack_linux.db.example.org.system.resources";

    /// <summary>A store with the uris kpack_linux wrote before: mem, and the host name squashed into one level.</summary>
    private SampleStore OldStore()
    {
        var store = SampleStore.Open(_dir["data/komlogd.db"]);
        store.Insert([
            new NewSample($"{Old}.cpu", SampleType.Datasource, 1000, "cpu text"),
            new NewSample($"{Old}.cpu.all.user", SampleType.Datapoint, 1000, "1.5"),
            new NewSample($"{Old}.mem", SampleType.Datasource, 1000, "mem text"),
            new NewSample($"{Old}.mem", SampleType.Datasource, 61000, "mem text 2"),
            new NewSample($"{Old}.mem.memused", SampleType.Datapoint, 1000, "40.25"),
            new NewSample($"{Old}.mem._anomaly", SampleType.Datapoint, 1000, "0"),
            new NewSample($"{Old}.storage.vda.util._anomaly", SampleType.Datapoint, 1000, "0"),
            // A tree on a host that needs no rename, and under another baseUri.
            new NewSample("hosts.linux.vm1.system.resources.cpu", SampleType.Datasource, 1000, "cpu"),
            new NewSample("hosts.linux.vm1.system.resources.mem.kbavail", SampleType.Datapoint, 1000, "7"),
            // Not kpack_linux's: no cpu datasource beside it.
            new NewSample("my.system.resources.mem", SampleType.Datasource, 1000, "mine"),
            new NewSample("db_example_org.mem", SampleType.Datasource, 1000, "mine too"),
        ]);
        return store;
    }

    [Fact]
    public void HistoryMovesToMemoryAndToTheNestedHostLevels()
    {
        using var store = OldStore();

        var renames = KpackUriMigration.Apply(store, ["db.example.org"]);

        Assert.NotNull(renames);
        Assert.Equal(
            ["db_example_org.mem", "hosts.linux.vm1.system.resources.cpu", "hosts.linux.vm1.system.resources.memory.kbavail", "my.system.resources.mem",
             $"{New}.cpu", $"{New}.cpu.all.user", $"{New}.memory", $"{New}.memory._anomaly", $"{New}.memory.memused", $"{New}.storage.vda.util._anomaly"],
            store.List().Select(u => u.Uri).Order(StringComparer.Ordinal));
        Assert.Equal(["mem text 2", "mem text"], store.Get($"{New}.memory").Select(s => s.Value));
        Assert.Equal("40.25", Assert.Single(store.Get($"{New}.memory.memused")).Value);
        Assert.Equal(Migrations.All[^1].Version, store.SchemaVersion); // 4 is recorded below the SQL ones
        Assert.Equal(7, renames.Count);
    }

    [Fact]
    public void ItRunsOnceAndAReopenedStoreKeepsIt()
    {
        using (var store = OldStore())
        {
            Assert.NotNull(KpackUriMigration.Apply(store, ["db.example.org"]));
            // Written after the migration under an old name (e.g. imported): left alone, the migration is done.
            store.Insert([new NewSample($"{Old}.mem", SampleType.Datasource, 2000, "late")]);
            Assert.Null(KpackUriMigration.Apply(store, ["db.example.org"]));
        }
        using var again = SampleStore.Open(_dir["data/komlogd.db"]);

        Assert.Null(KpackUriMigration.Apply(again, ["db.example.org"]));
        Assert.Single(again.Get($"{Old}.mem"));
        Assert.Equal(2, again.Get($"{New}.memory").Count);
    }

    [Fact]
    public void HistoryJoinsAUriThatAlreadyHasTheNewNameAndAnotherTypeIsLeftAlone()
    {
        using var store = OldStore();
        store.Insert([
            new NewSample($"{New}.memory", SampleType.Datasource, 61000, "new name, same time"),
            new NewSample($"{New}.memory", SampleType.Datasource, 121000, "new name"),
            new NewSample($"{New}.memory.memused", SampleType.Datasource, 1000, "a text where a number was"),
        ]);

        var renames = KpackUriMigration.Apply(store, ["db.example.org"])!;

        Assert.Equal(["new name", "new name, same time", "mem text"], store.Get($"{New}.memory").Select(s => s.Value));
        Assert.Empty(store.Get($"{Old}.mem"));
        Assert.Contains(renames, r => r.From == $"{Old}.mem" && r.Merged);
        Assert.Equal("40.25", Assert.Single(store.Get($"{Old}.mem.memused")).Value);
    }

    [Fact]
    public void HostNamesComeFromTheEnvironmentAndKpackLinuxsSettingsFile()
    {
        var settings = _dir["settings.json"];
        File.WriteAllText(settings, """
            { // as kpack_linux reads it: comments and trailing commas
              "hosts": [ { "name": "web.2", "ssh": ["ssh", "web2"] }, { "ssh": ["ssh", "x"] }, ],
            }
            """);
        var env = new Dictionary<string, string> { ["KPACK_LINUX_HOSTNAME"] = "db.example.org", ["KPACK_LINUX_SETTINGS"] = settings };

        Assert.Equal(["db.example.org", "web.2"], KpackUriMigration.KnownHosts(v => env.GetValueOrDefault(v), "machine"));
        Assert.Equal(["machine"], KpackUriMigration.KnownHosts(v => v == "HOME" ? _dir.Path : null, "machine"));
        File.WriteAllText(settings, "{ not json");
        Assert.Equal(["db.example.org"], KpackUriMigration.KnownHosts(v => env.GetValueOrDefault(v), "machine"));
    }

    [Theory]
    [InlineData("db.example.org", "db_example_org", "db.example.org")]
    [InlineData("my host..lan.", "my_host_lan", "my_host.lan")]
    [InlineData("vm1", "vm1", "vm1")]
    [InlineData("...", "root", null)]
    public void TheOldAndNewHostRulesAreThePackages(string name, string squashed, string? nested)
    {
        Assert.Equal(squashed, KpackUriMigration.SquashedLevel(name));
        Assert.Equal(nested, KpackUriMigration.NestedLevels(name));
    }

    public void Dispose() => _dir.Dispose();
}
