using System.Text.Json;

namespace Komlogd.Agent.Tests;

/// <summary>The store's disk fills up under a running agent, and is freed again.</summary>
public sealed class StoreFailureTests
{
    private const string DiskFull = "database or disk is full";

    [SkippableFact]
    public async Task AFullDiskFailsThePackagesRunShowsInStatusLosesNothingAndRecovers()
    {
        await using var home = new AgentHome("diskfull");
        home.Configure(("filler", "TestPkg.Filler"));
        var (disk, why) = await SmallDisk.TryMountAsync(Path.Combine(home.Cli.ConfigDir, "data"), "8m");
        Skip.If(disk is null, $"cannot mount a small file system here: {why}");
        await using var _ = disk;
        home.Start();
        await home.WaitForVenvAsync("filler", "Running");

        // A run with room to spare commits its 64 KiB text.
        var open = Path.Combine(home.Home, "gate-open");
        await File.WriteAllTextAsync(open, "");
        await SendAsync(home, "fill.go", open);
        await Eventually.WaitAsync(() => Count(home, "fill.done") == 1, "the first run's commit");

        // The next run is triggered (its trigger committed), then the disk fills before it writes.
        var gate = Path.Combine(home.Home, "gate-later");
        await SendAsync(home, "fill.go", gate);
        var before = await SamplesAsync(home, "fill.tick");
        var filler = disk!.Fill();
        await File.WriteAllTextAsync(gate, "");

        // The run fails and says why; plain inserts are logged as lost, with a count; status names the store's error.
        await Eventually.WaitAsync(() => home.Log().Contains("transfer method TestPkg.Filler.Load.Fill failed: SamplesNotStoredException:", StringComparison.Ordinal),
            "the run to fail", TimeSpan.FromSeconds(60));
        var failed = home.Log().Split('\n').First(l => l.Contains("transfer method TestPkg.Filler.Load.Fill failed", StringComparison.Ordinal));
        Assert.Contains(DiskFull, failed, StringComparison.Ordinal);
        Assert.Contains("its 1 samples were not committed", failed, StringComparison.Ordinal);
        await Eventually.WaitAsync(() => home.Log().Contains("samples were not stored and are lost", StringComparison.Ordinal), "plain inserts reported lost");
        Assert.Contains($"[ERR] Store failing: {home.Cli.ConfigDir}/data/komlogd.db: cannot write to the store: SQLite Error 13: '{DiskFull}'", home.Log(), StringComparison.Ordinal);
        var status = await home.StatusAsync();
        Assert.Contains(DiskFull, status.GetProperty("storeError").GetString(), StringComparison.Ordinal);
        Assert.Equal("Running", AgentHome.Venv(status, "filler")!.Value.GetProperty("state").GetString());
        var human = await home.Cli.RunAsync("status");
        Assert.Contains("store failing:", human.Stdout, StringComparison.Ordinal);

        // A sample sent meanwhile is refused with one line, and is not half stored.
        var refused = await home.Cli.RunAsync(["-u", "fill.other"], stdin: "during");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(DiskFull, Assert.Single(refused.ErrorLines), StringComparison.Ordinal);

        // Space again: later batches are stored, status clears, and nothing committed before is gone.
        File.Delete(filler);
        await Eventually.WaitAsync(() => home.StatusAsync().GetAwaiter().GetResult().GetProperty("storeError").ValueKind == JsonValueKind.Null, "the store error to clear");
        Assert.Contains("Store writes again", home.Log(), StringComparison.Ordinal);
        var after = await SamplesAsync(home, "fill.tick");
        Assert.Subset(after.ToHashSet(), before.ToHashSet());
        Assert.True(after.Count > before.Count, "ticks are stored again");
        await SendAsync(home, "fill.go", open);
        await Eventually.WaitAsync(() => Count(home, "fill.done") == 2, "a run after the disk was freed");
        Assert.Equal(3, Count(home, "fill.go"));
        Assert.Equal(0, Count(home, "fill.other"));
    }

    private static async Task SendAsync(AgentHome home, string uri, string text)
    {
        var result = await home.Cli.RunAsync(["-u", uri], stdin: text);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static int Count(AgentHome home, string uri)
    {
        var ls = home.Cli.RunAsync("data", "ls", uri).GetAwaiter().GetResult();
        Assert.True(ls.ExitCode == 0, ls.ToString());
        return ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(c => c[0] == uri).Select(c => int.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
    }

    private static async Task<List<string>> SamplesAsync(AgentHome home, string uri)
    {
        var get = await home.Cli.RunAsync("data", "get", uri);
        Assert.True(get.ExitCode == 0, get.ToString());
        return [.. get.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
