using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Komlogd.Core.Supervision;
using Komlogd.Protocol;

namespace Komlogd.Supervision.Tests;

/// <summary>Real Komlogd.PluginHost children, loading real published venvs, supervised for real.</summary>
[Collection(VenvCollection.Name)]
public sealed class PluginHostTests(VenvFixture venvs) : IAsyncDisposable
{
    private static readonly SupervisionOptions Fast = new()
    {
        StartTimeout = TimeSpan.FromSeconds(5),
        PingInterval = TimeSpan.FromMilliseconds(200),
        PingTimeout = TimeSpan.FromSeconds(2),
        StopTimeout = TimeSpan.FromSeconds(10),
        QuickFailureWindow = TimeSpan.FromSeconds(30),
        MaxQuickFailures = 3,
        Backoff = new Backoff { Initial = TimeSpan.FromMilliseconds(50), Jitter = 0 },
    };

    private readonly MemoryLog _log = new();
    private readonly List<IAsyncDisposable> _cleanup = [];

    private PluginHostLauncher Launcher => new(_log.Logger, hostDll: Repo.HostDll);

    private VenvSupervisor Supervise(string venv, string entry, SupervisionOptions? options = null)
    {
        var s = new VenvSupervisor(venv, entry, Launcher, options ?? Fast, TimeProvider.System, _log.Logger);
        _cleanup.Add(s);
        return s;
    }

    private static Task WaitFor(VenvSupervisor s, Func<VenvStatus, bool> condition, string what) =>
        Eventually.WaitAsync(() => condition(s.Status), $"{what} (now {s.Status.State}, last error {s.Status.LastError})", TimeSpan.FromSeconds(90));

    [Fact]
    public async Task AVenvLoadsItsPackageAndRuns()
    {
        var entry = await venvs.SingleAsync("TestPkg.Basic");
        var s = Supervise("basic", entry);

        await s.StartAsync();
        await WaitFor(s, st => st.State == VenvState.Running, "Running");

        var package = Assert.Single(s.Status.Packages);
        Assert.Equal(("TestPkg.Basic", "1.0.0", null), (package.Name, package.Version, package.Error));
        await _log.WaitForAsync("[basic] TestPkg.Basic: TestPkg.Basic 1.0.0.0 loaded in venv basic");
        Assert.True(Processes.IsAlive(s.Status.Pid!.Value));
    }

    [Fact]
    public async Task TwoVenvsRunTwoVersionsOfOnePackageWithConflictingDependencies()
    {
        var v1 = await venvs.GetAsync("versioned-1", new TestVenv.Package("TestPkg.Versioned", new Dictionary<string, string> { ["Version"] = "1.0.0", ["NewtonsoftVersion"] = "12.0.3" }));
        var v2 = await venvs.GetAsync("versioned-2", new TestVenv.Package("TestPkg.Versioned", new Dictionary<string, string> { ["Version"] = "2.0.0", ["NewtonsoftVersion"] = "13.0.3" }));
        var a = Supervise("old", v1);
        var b = Supervise("new", v2);

        await Task.WhenAll(a.StartAsync(), b.StartAsync());

        // Each venv gets its own Newtonsoft.Json: 12 in one, 13 in the other, in two hosts at once.
        await _log.WaitForAsync("[old] TestPkg.Versioned: TestPkg.Versioned 1.0.0.0 loaded Newtonsoft.Json 12.0.0.0 {\"ok\":true}");
        await _log.WaitForAsync("[new] TestPkg.Versioned: TestPkg.Versioned 2.0.0.0 loaded Newtonsoft.Json 13.0.0.0 {\"ok\":true}");
        await WaitFor(a, st => st.State == VenvState.Running, "old Running");
        await WaitFor(b, st => st.State == VenvState.Running, "new Running");
    }

    [Fact]
    public async Task AChildWhosePackageSpamsStdoutKeepsAnsweringEveryPing()
    {
        var entry = await venvs.SingleAsync("TestPkg.Spam");
        await using var child = (PluginHostChild)Launcher.Launch("spam", entry);
        var init = await child.InitializeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(init.Ok);

        var answered = 0;
        while (!_log.Contains("spam: 100000 lines written") || answered < 600)
        {
            await child.PingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            answered++;
            Assert.True(answered < 1_000_000, "spam never finished");
        }

        await _log.WaitForAsync("spam: grandchild done");
        await _log.WaitForAsync("spam: stdin gave 0 chars and 0 bytes");
        await _log.WaitForAsync("grandchild on fd1");
        Assert.True(_log.Contains("spam line 99999 "), "the package's console lines reach the log through stderr");
        Assert.False(child.Exited.IsCompleted);
    }

    public static TheoryData<string, string> FailingPackages => new()
    {
        { "TestPkg.Throw", "TestPkg.Throw: InvalidOperationException: boom in load" },
        { "TestPkg.Exit", "exited with code 3 while loading its packages" },
        { "TestPkg.HangLoad", "did not load its packages within 5 s; killed" },
        { "TestPkg.CrashLater", "exited with code 134" },
    };

    [Theory]
    [MemberData(nameof(FailingPackages))]
    public async Task AFailingPackageGoesThroughBackoffToFatal(string package, string error)
    {
        var (s, states) = await RunToFatalAsync(package);

        Assert.Equal(3, s.Status.QuickFailures);
        Assert.Equal(2, s.Status.Restarts);
        Assert.Equal(error, s.Status.LastError);
        Assert.Equal(2, states.Count(x => x == VenvState.Backoff));
        Assert.True(_log.Contains($"Gave up after 3 quick failures in a row; last: {error}"));
    }

    public static TheoryData<string, string> BrokenPackages => new()
    {
        { "TestPkg.NoEntry", "TestPkg.NoEntry: declares no entry point: add [assembly: KomlogdPackage(typeof(Load))]" },
        { "TestPkg.BadMethods", "TestPkg.BadMethods: TestPkg.BadMethods declares transfer methods komlogd cannot run: TestPkg.BadMethods:TestPkg.BadMethods.Load.NoSchedule: needs exactly one schedule attribute" },
    };

    [Theory]
    [MemberData(nameof(BrokenPackages))]
    public async Task APackageBrokenAsInstalledGoesFatalAtOnceWithItsReason(string package, string error)
    {
        var (s, states) = await RunToFatalAsync(package);

        Assert.True(s.Status.LastError?.StartsWith(error, StringComparison.Ordinal) == true, s.Status.LastError);
        Assert.Equal(0, s.Status.Restarts);
        Assert.DoesNotContain(VenvState.Backoff, states);
        Assert.True(_log.Contains($"Gave up at once: {error}"));
    }

    /// <summary>Supervises a venv of the one package until Fatal; returns the supervisor and every state it passed through.</summary>
    private async Task<(VenvSupervisor Supervisor, List<VenvState> States)> RunToFatalAsync(string package)
    {
        var entry = await venvs.SingleAsync(package);
        var s = Supervise(package, entry);
        var states = new List<VenvState>();
        s.StatusChanged += st => { lock (states) { states.Add(st.State); } };

        await s.StartAsync();
        await WaitFor(s, st => st.State == VenvState.Fatal, "Fatal");
        lock (states)
        {
            return (s, [.. states]);
        }
    }

    [Fact]
    public async Task AHostKilledWhileItsGrandchildHoldsItsStderrIsSeenDeadAndRestarted()
    {
        var entry = await venvs.SingleAsync("TestPkg.Orphan");
        var s = Supervise("orphan", entry);
        var grandchildren = new List<int>();
        try
        {
            await s.StartAsync();
            await WaitFor(s, st => st.State == VenvState.Running, "Running");
            var first = s.Status.Pid!.Value;
            await _log.WaitForAsync("orphan: grandchild ");
            grandchildren.AddRange(GrandchildPids());

            // The grandchild keeps the host's stderr pipe open: the death must still be seen, by the exit.
            Assert.Equal(0, Signal(first, 9));
            await WaitFor(s, st => st.State == VenvState.Running && st.Pid != first, "Running again with a new child");
            Assert.Equal(1, s.Status.Restarts);
            Assert.Contains("exited with code 137", s.Status.LastError);
        }
        finally
        {
            foreach (var pid in grandchildren.Concat(GrandchildPids()).Distinct())
            {
                Signal(pid, 9);
            }
        }

        IEnumerable<int> GrandchildPids() => _log.Lines
            .Select(l => l.Split("orphan: grandchild ", 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => int.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AHungChildIsKilledAndRestarted()
    {
        var entry = await venvs.SingleAsync("TestPkg.Basic");
        var s = Supervise("hung", entry);
        await s.StartAsync();
        await WaitFor(s, st => st.State == VenvState.Running, "Running");
        var first = s.Status.Pid!.Value;

        Assert.Equal(0, Signal(first, 19)); // SIGSTOP: the process is alive but answers nothing

        await WaitFor(s, st => st.State == VenvState.Running && st.Pid != first, "a new child Running");
        Assert.Equal("did not answer a health ping within 2 s; killed", s.Status.LastError);
        Assert.Equal(1, s.Status.Restarts);
        await Eventually.WaitAsync(() => !Processes.IsAlive(first), "the hung child to be gone");
    }

    [Fact]
    public async Task StopEndsTheChildWithinTheStopTimeout()
    {
        var entry = await venvs.SingleAsync("TestPkg.Basic");
        var s = Supervise("stop", entry);
        await s.StartAsync();
        await WaitFor(s, st => st.State == VenvState.Running, "Running");
        var pid = s.Status.Pid!.Value;

        var stop = s.StopAsync();

        Assert.True(await Task.WhenAny(stop, Task.Delay(Fast.StopTimeout + TimeSpan.FromSeconds(20))) == stop, "stop did not finish");
        Assert.Equal(VenvState.Stopped, s.Status.State);
        Assert.False(Processes.IsAlive(pid));
        Assert.False(_log.Contains("SIGTERM"), "a healthy child exits on the shutdown request");
    }

    [Fact]
    public async Task AHostStartedByHandSaysItIsNotAProgramToRun()
    {
        var result = await Cli.Wrap("dotnet")
            .WithArguments([Launcher.HostDll])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Komlogd.PluginHost is started by the komlogd agent, one per venv; it is not a program to run directly. Run 'komlogd'.", result.StandardError.Trim());
        Assert.Equal("", result.StandardOutput);
    }

    /// <summary>
    /// The settings no runtimeconfig can carry (the runtime's JIT cache, glibc's arenas) reach a real child
    /// through its environment, where they are read; a value a person gave the agent is passed on instead.
    /// </summary>
    [Fact]
    public async Task AChildGetsTheRuntimeSettingsOnlyItsEnvironmentCanCarry()
    {
        var entry = await venvs.SingleAsync("TestPkg.Basic");
        await using var child = Launcher.Launch("env", entry);
        Assert.True((await child.InitializeAsync(CancellationToken.None)).Ok);

        var environ = File.ReadAllText($"/proc/{child.Pid}/environ").Split('\0');
        Assert.Contains("DOTNET_JitHostMaxSlabCache=0", environ);
        Assert.Contains("MALLOC_ARENA_MAX=1", environ);
        Assert.DoesNotContain(environ, e => e.StartsWith("DOTNET_GCGen0MaxBudget=", StringComparison.Ordinal));

        var tuned = new Dictionary<string, string?> { ["DOTNET_JitHostMaxSlabCache"] = "4", ["PATH"] = "/usr/bin" };
        PluginHostChild.SetRuntimeEnvironment(tuned);
        Assert.Equal("4", tuned["DOTNET_JitHostMaxSlabCache"]);
        Assert.Equal("/usr/bin", tuned["PATH"]);
    }

    /// <summary>
    /// A real child maps the very files of Komlogd.Protocol and Komlogd.Sdk the agent loads (the agent's are hard
    /// links to host/'s, Komlogd.Core.csproj's LinkSharedHostAssemblies), so the agent and its hosts share their
    /// pages: the inode in the child's /proc/PID/maps is the agent's file's.
    /// </summary>
    [Fact]
    public async Task AChildMapsTheAgentsOwnProtocolAndSdkFiles()
    {
        var entry = await venvs.SingleAsync("TestPkg.Basic");
        await using var child = Launcher.Launch("shared", entry);
        Assert.True((await child.InitializeAsync(CancellationToken.None)).Ok);

        var maps = File.ReadAllLines($"/proc/{child.Pid}/maps");
        foreach (var name in new[] { "Komlogd.Protocol.dll", "Komlogd.Sdk.dll" })
        {
            var agentCopy = Path.Combine(Path.GetDirectoryName(Repo.KomlogdDll)!, name);
            var stat = await Cli.Wrap("stat").WithArguments(["-c", "%i", agentCopy]).ExecuteBufferedAsync();
            var mapped = maps.Where(l => l.EndsWith("/" + name, StringComparison.Ordinal))
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]).Distinct().ToList();
            Assert.Equal([stat.StandardOutput.Trim()], mapped);
        }
    }

    /// <summary>
    /// The host and the agent ship their 512 KiB gen0 budget in their runtimeconfig files, where the runtime
    /// reads it as <c>System.GC.Gen0MaxBudget</c> (docs/benchmarks.md, "The gen0 budget in the runtimeconfig").
    /// </summary>
    [Fact]
    public void TheHostAndTheAgentShipTheirGen0BudgetInTheirRuntimeconfig()
    {
        foreach (var dll in new[] { Launcher.HostDll, Repo.KomlogdDll })
        {
            var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(dll, ".runtimeconfig.json")))!;
            Assert.Equal(512L << 10, (long)config["runtimeOptions"]!["configProperties"]!["System.GC.Gen0MaxBudget"]!);
        }
    }

    [Fact]
    public void OnlyAnILHostKeepsAStartupProfile()
    {
        Assert.False(new PluginHostLauncher(_log.Logger, hostDll: Repo.HostDll).JitProfiles);
        Assert.True(new PluginHostLauncher(_log.Logger, hostDll: ILHostDll).JitProfiles);
        Assert.False(PluginHostLauncher.IsReadyToRun(Path.Combine(Path.GetTempPath(), "komlogd-no-such-" + Guid.NewGuid().ToString("N") + ".dll")));
    }

    /// <summary>The hand-read PE headers give PEReader's answer: ReadyToRun or IL, and no image for what is not one.</summary>
    [Fact]
    public void ReadyToRunIsReadFromThePEHeadersAsPEReaderReadsIt()
    {
        using var dir = new TempDir("r2r-check");
        var truncated = dir["truncated.dll"];
        File.WriteAllBytes(truncated, File.ReadAllBytes(Repo.HostDll)[..300]);
        var text = dir["text.dll"];
        File.WriteAllText(text, "MZ but not a PE file at all");
        string[] images = [Repo.HostDll, ILHostDll, typeof(object).Assembly.Location, typeof(PluginHostLauncher).Assembly.Location, typeof(Xunit.Assert).Assembly.Location];

        var answers = images.Select(PluginHostLauncher.IsReadyToRun).ToList();

        Assert.Equal(images.Select(f =>
        {
            using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(f));
            return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
        }), answers);
        // Both kinds are among them: the ReadyToRun host and the framework, the IL host.
        Assert.Equal(new[] { true, false, true }, answers.Take(3));
        Assert.False(PluginHostLauncher.IsReadyToRun(truncated));
        Assert.False(PluginHostLauncher.IsReadyToRun(text));
    }

    /// <summary>The portable (IL) host the solution build makes, as the tool package ships it.</summary>
    private static string ILHostDll => Repo.Output(Path.Combine("src", "Komlogd.PluginHost"), "Komlogd.PluginHost.dll");

    [Fact]
    public async Task AnILHostSavesItsStartupProfileOnceLoadedAndStartsWithItOrWithAnUnusableOne()
    {
        var entry = await venvs.SingleAsync("TestPkg.Basic");
        var profile = PluginHostChild.JitProfileFile(entry);
        var launcher = new PluginHostLauncher(_log.Logger, hostDll: ILHostDll);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(entry))!, "host.jitprofile"), profile);
        File.Delete(profile);

        // Written once the packages are loaded, not at exit: a host killed with SIGKILL leaves it.
        await using (var child = launcher.Launch("profiled", entry))
        {
            Assert.True((await child.InitializeAsync(CancellationToken.None)).Ok);
            await Eventually.WaitAsync(() => File.Exists(profile) && new FileInfo(profile).Length > 0, "the start-up profile written", TimeSpan.FromSeconds(30));
            Assert.Equal(0, Signal(child.Pid, 9));
            await child.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // The next start compiles from it; one it cannot use is no reason not to start.
        foreach (var garbage in (byte[]?[])[null, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]])
        {
            if (garbage is not null)
            {
                await File.WriteAllBytesAsync(profile, garbage);
            }
            await using var child = launcher.Launch("profiled", entry);
            Assert.True((await child.InitializeAsync(CancellationToken.None)).Ok);
            await child.PingAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void TheAgentStartsTheReadyToRunHostFromItsHostDirectory()
    {
        var agentDir = Path.GetDirectoryName(Repo.KomlogdDll)!;
        Assert.Equal(Path.Combine(agentDir, "host", "Komlogd.PluginHost.dll"), PluginHostLauncher.DefaultHostDll(agentDir));
        // Precompiled: the host and what it loads at every start carry native code.
        foreach (var dll in (string[])["Komlogd.PluginHost.dll", "Komlogd.Protocol.dll", "Komlogd.Sdk.dll"])
        {
            using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(Path.Combine(agentDir, "host", dll)));
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{dll} in host/ is not ReadyToRun");
        }
        // The host's channel is its own (docs/protocol.md): StreamJsonRpc and its dependencies were most of an
        // idle host's memory. What the host depends on is what its deps.json lists.
        var deps = File.ReadAllText(Path.Combine(agentDir, "host", "Komlogd.PluginHost.deps.json"));
        Assert.DoesNotContain("StreamJsonRpc", deps, StringComparison.Ordinal);
        Assert.DoesNotContain("Newtonsoft.Json", deps, StringComparison.Ordinal);
        // The portable host beside the agent is the fallback for a build without host/.
        var bare = Path.Combine(Path.GetTempPath(), "komlogd-no-host-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(Path.Combine(bare, "Komlogd.PluginHost.dll"), PluginHostLauncher.DefaultHostDll(bare));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Signal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _cleanup)
        {
            await d.DisposeAsync();
        }
    }
}
