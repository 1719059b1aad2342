using Komlogd.Core.Installation;

namespace Komlogd.Installer.Tests;

/// <summary>
/// What a boot does to venvs that are already there, through the real <c>komlogd install</c>: nothing when
/// nothing changed (no tool runs at all, per the log), only the changed venv when one block changed, and an
/// unused venv's directory removed.
/// </summary>
[Collection("feed")]
public sealed class BootTests(FeedFixture feed) : IDisposable
{
    private readonly Installs _t = new();

    private string Log => Path.Combine(_t.Cli.ConfigDir, "log", "komlogd.log");

    [Fact]
    public async Task ReinstallsOnlyWhatChangedAndRemovesUnusedVenvs()
    {
        var source = $"--source {feed.Feed.Folder}";
        var a = $"TestPkg.Versioned=={feed.V1} {source}";
        _t.Configure((a, "a"), ($"TestPkg.Versioned>={feed.V2} {source}", "b"));

        var first = await _t.Cli.RunAsync("install");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("venv a: installed in", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("venv b: installed in", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, _t.ToolRuns("dotnet", Log));
        var aDir = Path.Combine(_t.VenvsDir, "a");
        var bDir = Path.Combine(_t.VenvsDir, "b");
        Assert.Equal("12.0.3", Installs.AllLibraries(Result("a"))["Newtonsoft.Json"]);
        Assert.Equal("13.0.3", Installs.AllLibraries(Result("b"))["Newtonsoft.Json"]);
        var aInstalled = VenvManifest.TryRead(aDir)!.InstalledAt;
        var bInstalled = VenvManifest.TryRead(bDir)!.InstalledAt;

        // Nothing changed: no tool runs, nothing printed, manifests untouched.
        var second = await _t.Cli.RunAsync("install");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("", second.Stdout);
        Assert.Equal(2, _t.ToolRuns("dotnet", Log));
        Assert.Equal(0, _t.ToolRuns("git", Log));
        Assert.Equal(aInstalled, VenvManifest.TryRead(aDir)!.InstalledAt);
        Assert.Equal(bInstalled, VenvManifest.TryRead(bDir)!.InstalledAt);

        // One block changed: only its venv is installed again.
        var dir = TestFeed.CopyPackage("TestPkg.Basic", _t["basic"]);
        _t.Configure((a, "a"), (dir, "b"));
        var third = await _t.Cli.RunAsync("install");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.DoesNotContain("venv a:", third.Stdout, StringComparison.Ordinal);
        Assert.Contains("venv b: installed in", third.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, _t.ToolRuns("dotnet", Log));
        Assert.Equal(aInstalled, VenvManifest.TryRead(aDir)!.InstalledAt);
        Assert.NotEqual(bInstalled, VenvManifest.TryRead(bDir)!.InstalledAt);
        Assert.Equal(["TestPkg.Basic"], Installs.DirectPackages(Result("b")).Keys);

        // A block removed: its venv's directory goes, the other stays.
        _t.Configure((a, "a"));
        var fourth = await _t.Cli.RunAsync("install");
        Assert.True(fourth.ExitCode == 0, fourth.ToString());
        Assert.False(Directory.Exists(bDir));
        Assert.True(File.Exists(Result("a").EntryAssembly));
        Assert.Equal(3, _t.ToolRuns("dotnet", Log));

        // -U: installed again at every boot, though the spec is unchanged.
        _t.Configure((a + " -U", "a"));
        Assert.Equal(0, (await _t.Cli.RunAsync("install")).ExitCode);
        Assert.Equal(4, _t.ToolRuns("dotnet", Log));
        var upgraded = await _t.Cli.RunAsync("install");
        Assert.True(upgraded.ExitCode == 0, upgraded.ToString());
        Assert.Contains("venv a: installed in", upgraded.Stdout, StringComparison.Ordinal);
        Assert.Equal(5, _t.ToolRuns("dotnet", Log));
    }

    [Fact]
    public async Task AnInstallKilledMidwayLeavesThePreviousGoodInstallAndIsRedoneAtTheNextBoot()
    {
        var old = TestFeed.CopyPackage("TestPkg.Basic", _t["old"]);
        _t.Configure((old, "default"));
        var first = await _t.Cli.RunAsync("install");
        Assert.True(first.ExitCode == 0, first.ToString());
        var venv = Result("default");
        var installed = VenvManifest.TryRead(venv.Directory)!;

        var changed = TestFeed.CopyPackage("TestPkg.Basic", _t["new"]);
        _t.Configure((changed, "default"));
        await using (var killed = AgentProcess.Start(_t.Home, "install"))
        {
            await Eventually.WaitAsync(() => _t.ToolRuns("dotnet", Log) == 2, "the second dotnet publish to start");
            // Dispose kills komlogd and its whole tree (dotnet publish included) mid-way.
        }

        // The previous install is still complete and in place; the new one was never swapped in.
        Assert.Equal(installed.InstalledAt, VenvManifest.TryRead(venv.Directory)!.InstalledAt);
        Assert.True(venv.IsUsable);
        Assert.Equal(old, Assert.Single(installed.Asked).Install);

        var next = await _t.Cli.RunAsync("install");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(changed, Assert.Single(VenvManifest.TryRead(venv.Directory)!.Asked).Install);
        Assert.Equal(["default"], Directory.GetDirectories(_t.VenvsDir).Select(Path.GetFileName).Where(n => !n!.StartsWith(".nuget", StringComparison.Ordinal)));
    }

    private VenvInstallResult Result(string venv) =>
        new(venv, Path.Combine(_t.VenvsDir, venv), VenvInstallOutcome.Installed, null, [], TimeSpan.Zero);

    public void Dispose() => _t.Dispose();
}
