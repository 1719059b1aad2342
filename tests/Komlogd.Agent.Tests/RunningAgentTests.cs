using System.Globalization;
using System.Text.Json;

namespace Komlogd.Agent.Tests;

/// <summary>One agent with four venvs: a reactor, a writer, a package that always throws, and a flaky one.</summary>
public sealed class RunningAgentFixture : IAsyncLifetime
{
    public AgentHome Home { get; } = new("running");

    public async Task InitializeAsync()
    {
        Home.Configure(("reactor", "TestPkg.Reactor"), ("writer", "TestPkg.Writer"), ("fatal", "TestPkg.Throw"), ("flaky", "TestPkg.Flaky"));
        await File.WriteAllTextAsync(Path.Combine(Home.Home, "flaky.fail"), "");
        Home.Start();
        await Home.WaitForVenvAsync("reactor", "Running");
        await Home.WaitForVenvAsync("fatal", "Fatal");
        await Home.WaitForVenvAsync("flaky", "Fatal");
    }

    public async Task DisposeAsync() => await Home.DisposeAsync();
}

public sealed class RunningAgentTests(RunningAgentFixture fixture) : IClassFixture<RunningAgentFixture>
{
    private AgentHome Home => fixture.Home;

    /// <summary>
    /// Both of the agent's JSON-RPC ends (each host's channel, the control socket) are its own RpcChannel:
    /// StreamJsonRpc and what it brings were about 6 MiB of a running agent's memory (docs/benchmarks.md).
    /// And it generates no code (its runtimeconfig says so): YamlDotNet's compiled Regex was Reflection.Emit
    /// and the JIT at every start. Nor does it keep what it has no use for while it runs: System.Net.Sockets
    /// (its control socket is libc's, its children's pipes plain file streams), System.CommandLine (its
    /// plain start skips the command line's tree), System.Text.Json (komlogd's own JSON), System.Threading.Channels
    /// (<c>SingleReaderQueue</c>), SQLite's batteries (built against netstandard, whose facade they mapped; its
    /// provider is set by hand) and System.Diagnostics.Process with System.IO.Pipes (its children are spawned by
    /// libc, <c>ChildProcess</c>). Checked after the agent has served a running child's
    /// channel, restarted children, a status that asked a child its runs, and a sample from <c>-u</c>.
    /// </summary>
    [Fact]
    public async Task TheAgentServesItsHostsAndClientsWithoutStreamJsonRpcOrEmittedCode()
    {
        var status = await Home.StatusAsync();
        Assert.Equal(JsonValueKind.Number, AgentHome.Venv(status, "reactor")!.Value.GetProperty("runs").GetProperty("total").ValueKind);
        Assert.Equal(0, (await Home.Cli.RunAsync(["-u", "ra.nojsonrpc"], stdin: "1\n")).ExitCode);

        var maps = await File.ReadAllLinesAsync($"/proc/{Home.Agent!.Pid}/maps");
        Assert.Contains(maps, l => l.EndsWith("/Komlogd.Protocol.dll", StringComparison.Ordinal));
        var unwanted = Mapped(maps, "StreamJsonRpc", "Newtonsoft.Json", "Microsoft.VisualStudio.Threading", "System.Reflection.Emit.Lightweight",
            "System.Net.Sockets", "System.CommandLine", "System.Text.Json", "System.Text.Encodings.Web", "System.IO.Pipelines",
            "System.Threading.Channels", "SQLitePCLRaw.batteries_v2", "System.Diagnostics.Process", "System.IO.Pipes");
        Assert.True(unwanted.Count == 0, $"mapped: {string.Join(", ", unwanted)}");
    }

    /// <summary>
    /// Nor does a plugin host that has loaded a package and answered the agent: the channel's JSON is
    /// komlogd's own reader and writer (Komlogd.Protocol.Json), about 2 MiB of the pair's memory less than
    /// System.Text.Json with the two assemblies it brings (docs/protocol.md, "JSON").
    /// </summary>
    [Fact]
    public async Task NeitherTheAgentNorAHostMapsSystemTextJson()
    {
        var reactor = await Home.WaitForVenvAsync("reactor", "Running");
        // A status asks each running host its runs: both ends of that channel have read and written.
        Assert.Equal(JsonValueKind.Number, AgentHome.Venv(await Home.StatusAsync(), "reactor")!.Value.GetProperty("runs").GetProperty("total").ValueKind);

        foreach (var pid in new[] { Home.Agent!.Pid, reactor.GetProperty("pid").GetInt32() })
        {
            var maps = await File.ReadAllLinesAsync($"/proc/{pid}/maps");
            Assert.Contains(maps, l => l.EndsWith("/Komlogd.Protocol.dll", StringComparison.Ordinal));
            var json = Mapped(maps, "System.Text.Json", "System.Text.Encodings.Web", "System.IO.Pipelines");
            Assert.True(json.Count == 0, $"process {pid} mapped: {string.Join(", ", json)}");
        }
    }

    private static List<string> Mapped(string[] maps, params string[] assemblies) =>
        [.. maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).Distinct()
            .Where(f => assemblies.Any(a => f.EndsWith($"/{a}.dll", StringComparison.Ordinal)))];

    /// <summary>
    /// The control socket is libc's (Control/UnixSocket.cs), so nothing closes it on exec but its flag: a child
    /// that inherited the listener would keep the socket's address alive after the agent, and one that inherited
    /// a client's connection would keep that client waiting. Every running child holds neither.
    /// </summary>
    [Fact]
    public async Task TheAgentsChildrenHoldNoneOfItsControlSockets()
    {
        // A client connected while children start is the case that would leak: one is open here.
        await using var session = await Komlogd.Client.KomlogdSession.ConnectAsync(Home.Cli.ConfigDir);
        Assert.Equal(0, (await Home.Cli.RunAsync("restart", "writer")).ExitCode);
        var writer = await Home.WaitForVenvAsync("writer", "Running");
        var agentSockets = SocketInodes(Home.Agent!.Pid);
        Assert.NotEmpty(agentSockets);

        foreach (var pid in new[] { writer.GetProperty("pid").GetInt32(), (await Home.WaitForVenvAsync("reactor", "Running")).GetProperty("pid").GetInt32() })
        {
            var shared = SocketInodes(pid).Intersect(agentSockets).ToList();
            Assert.True(shared.Count == 0, $"child {pid} holds the agent's sockets {string.Join(", ", shared)}");
        }
    }

    private static HashSet<string> SocketInodes(int pid) =>
        [.. Directory.GetFiles($"/proc/{pid}/fd").Select(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                return null; // closed meanwhile
            }
        }).OfType<string>().Where(t => t.StartsWith("socket:", StringComparison.Ordinal))];

    /// <summary>
    /// The fixture's agent installed its four venvs at its first boot, in a child komlogd (InstallerProcess):
    /// nothing the installer loads stays mapped in the agent (NuGet's configuration, XML, SHA-256 through
    /// OpenSSL, HTTP, CliWrap: about 13 MiB of PSS when the agent installed itself, docs/benchmarks.md).
    /// </summary>
    [Fact]
    public async Task TheAgentInstalledItsVenvsInAChildAndKeepsNoneOfTheInstallersCode()
    {
        var log = await File.ReadAllTextAsync(Path.Combine(Home.Cli.ConfigDir, "log", "komlogd.log"));
        Assert.Contains("Venv reactor installed in ", log, StringComparison.Ordinal);

        var maps = (await File.ReadAllLinesAsync($"/proc/{Home.Agent!.Pid}/maps")).Select(l => Path.GetFileName(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])).Distinct().ToList();
        Assert.Contains("komlogd.dll", maps);
        var installer = maps.Where(f => f is "System.Private.Xml.dll" or "System.Net.Http.dll" or "System.Security.Cryptography.dll" or "NuGet.Configuration.dll" or "CliWrap.dll"
            || f.StartsWith("libcrypto.so", StringComparison.Ordinal)).ToList();
        Assert.True(installer.Count == 0, $"mapped: {string.Join(", ", installer)}");
    }

    [Fact]
    public async Task StatusShowsEachVenvWithItsStatePackagesAndLastError()
    {
        var status = await Home.StatusAsync();

        Assert.Equal(Home.Agent!.Pid, status.GetProperty("pid").GetInt32());
        foreach (var key in new[] { "startedAt", "configFile", "uptimeSeconds", "storeBytes", "samplesPerSecond", "samplesTotal", "venvs" })
        {
            Assert.True(status.TryGetProperty(key, out _), $"status has {key}");
        }
        var reactor = AgentHome.Venv(status, "reactor")!.Value;
        Assert.Equal("Running", reactor.GetProperty("state").GetString());
        Assert.True(reactor.GetProperty("pid").GetInt32() > 0);
        var package = Assert.Single(reactor.GetProperty("packages").EnumerateArray());
        Assert.Equal("TestPkg.Reactor", package.GetProperty("name").GetString());
        Assert.Equal("1.0.0", package.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, package.GetProperty("error").ValueKind);
        // A running child answers its transfer-method runs; a Fatal venv has no child to ask.
        Assert.All(new[] { "total", "failed", "running", "pending" }, key => Assert.Equal(JsonValueKind.Number, reactor.GetProperty("runs").GetProperty(key).ValueKind));

        var fatal = AgentHome.Venv(status, "fatal")!.Value;
        Assert.Equal("Fatal", fatal.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, fatal.GetProperty("pid").ValueKind);
        Assert.Equal(4, fatal.GetProperty("restarts").GetInt32());
        Assert.Equal("TestPkg.Throw: InvalidOperationException: boom in load", fatal.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, fatal.GetProperty("runs").ValueKind);

        var human = await Home.Cli.RunAsync("status");
        Assert.Equal(0, human.ExitCode);
        Assert.All(new[] { "reactor", "writer", "fatal", "flaky", "Running", "Fatal", "TestPkg.Reactor 1.0.0", "runs" }, s => Assert.Contains(s, human.Stdout, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASampleWrittenInOneVenvRunsATransferMethodInAnother()
    {
        await Eventually.WaitAsync(() => Samples("b.y").Count >= 3, "b.y from the reactor");

        foreach (var y in Samples("b.y"))
        {
            var x = Assert.Single(Samples("a.x", y.T));
            Assert.Equal(2 * x.Value, y.Value);
        }
    }

    [Fact]
    public async Task AUriSampleThroughTheSocketFiresAnOnUpdateMethod()
    {
        var put = await Home.Cli.RunAsync(["-u", "c.text"], stdin: "hello socket");
        Assert.Equal(0, put.ExitCode);

        await Eventually.WaitAsync(() => Home.Cli.RunAsync("data", "get", "c.seen").GetAwaiter().GetResult().Stdout.Contains("\tHELLO SOCKET", StringComparison.Ordinal), "c.seen");
    }

    [Fact]
    public async Task AValueNamedInAPipedTextFeedsItsDatapointAndAnOnUpdateMethodAsAUserWouldSeeIt()
    {
        // df -k | komlogd -u host.df, with a fixed captured df text rather than this machine's.
        var first = await Home.Cli.RunAsync(["-u", "host.df"], stdin: DfTexts.First);
        Assert.True(first.ExitCode == 0, first.ToString());

        var listing = await Home.Cli.RunAsync("identify", "host.df");
        Assert.True(listing.ExitCode == 0, listing.ToString());
        Assert.Contains($"/dev/vda                [9]264212084 [{DfTexts.RootUsedIndex}]14976628", listing.Stdout, StringComparison.Ordinal);

        var named = await Home.Cli.RunAsync("identify", "host.df", DfTexts.RootUsedIndex.ToString(CultureInfo.InvariantCulture), "root_used");
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.Equal("host.df.root_used: named; this sample gives 14976628\n", named.Stdout);

        var second = await Home.Cli.RunAsync(["-u", "host.df"], stdin: DfTexts.Second);
        Assert.True(second.ExitCode == 0, second.ToString());

        var get = await Home.Cli.RunAsync("data", "get", "host.df.root_used");
        var text = await Home.Cli.RunAsync("data", "get", "host.df", "--count", "1", "--json");
        var t = JsonDocument.Parse(text.Stdout).RootElement[0].GetProperty("t").GetString();
        Assert.Equal($"{t}\t14976928\n", get.Stdout);
        // TestPkg.Reactor's OnUpdate method on host.df.root_used copies it to e.root_used.
        await Eventually.WaitAsync(() => Home.Cli.RunAsync("data", "get", "e.root_used").GetAwaiter().GetResult().Stdout == $"{t}\t14976928\n", "e.root_used from the identified value");

        // The same operations through the socket: an unknown uri is one line and exit 2.
        var unknown = await Home.Cli.RunAsync("identify", "host.nope");
        Assert.Equal((2, "uri 'host.nope' is not in the store; 'komlogd data ls' lists the uris"), (unknown.ExitCode, Assert.Single(unknown.ErrorLines)));
    }

    [Fact]
    public async Task NamingWithBackfillWritesThePastWithoutRunningOnUpdateForIt()
    {
        foreach (var text in new[] { DfTexts.First, DfTexts.Second })
        {
            var put = await Home.Cli.RunAsync(["-u", "host.bf"], stdin: text);
            Assert.True(put.ExitCode == 0, put.ToString());
        }
        var times = JsonDocument.Parse((await Home.Cli.RunAsync("data", "get", "host.bf", "--json")).Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("t").GetString()!).ToList();

        var named = await Home.Cli.RunAsync("identify", "host.bf", DfTexts.RootUsedIndex.ToString(CultureInfo.InvariantCulture), "used", "--at", times[1], "--backfill");
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.Equal("host.bf.used: named; this sample gives 14976628\n2 past samples written (no OnUpdate runs for them)\n", named.Stdout);
        Assert.Equal($"{times[0]}\t14976928\n{times[1]}\t14976628\n", (await Home.Cli.RunAsync("data", "get", "host.bf.used")).Stdout);

        // A sample of now runs the method; updates reach the package in commit order, so had the backfill been
        // published its runs would have come first.
        var now = await Home.Cli.RunAsync(["-u", "host.bf"], stdin: DfTexts.First);
        Assert.True(now.ExitCode == 0, now.ToString());
        await Eventually.WaitAsync(() => Home.Cli.RunAsync("data", "get", "e.bf_used").GetAwaiter().GetResult().Stdout.Length > 0, "e.bf_used from the sample of now");
        var t = JsonDocument.Parse((await Home.Cli.RunAsync("data", "get", "host.bf", "--count", "1", "--json")).Stdout).RootElement[0].GetProperty("t").GetString();
        Assert.Equal($"{t}\t14976628\n", (await Home.Cli.RunAsync("data", "get", "e.bf_used")).Stdout);
    }

    [Fact]
    public async Task APackagesDatasourceSuppliesTravelToTheAgentAndLimitItsAutomaticDatapoints()
    {
        var put = await Home.Cli.RunAsync(["-u", "c.df", "--supplies", "none"], stdin: DfTexts.First);
        Assert.True(put.ExitCode == 0, put.ToString());

        // TestPkg.Reactor copies the text to c.dfcopy, whose Datasource supplies ["dev_vda.Used"].
        await Eventually.WaitAsync(() => Home.Cli.RunAsync("data", "get", "c.dfcopy.dev_vda.Used").GetAwaiter().GetResult().Stdout.EndsWith("\t14976628\n", StringComparison.Ordinal), "c.dfcopy.dev_vda.Used");
        var ls = await Home.Cli.RunAsync("data", "ls", "c");

        Assert.Equal(["c.df", "c.dfcopy", "c.dfcopy.dev_vda.Used"],
            ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).Where(u => u.StartsWith("c.df", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ADataImportWhileTheAgentRunsFiresAnOnUpdateMethod()
    {
        // One write path: the import goes through the running agent, so its subscribers hear of it.
        var file = Path.Combine(Home.Home, "import.json");
        await File.WriteAllTextAsync(file, """[{"uri": "c.text", "t": "2026-02-03T04:05:06.789Z", "type": "datasource", "value": "imported"}]""");

        var import = await Home.Cli.RunAsync("data", "import", file);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal("1 samples stored", import.Stdout.Trim());
        await Eventually.WaitAsync(() => Home.Cli.RunAsync("data", "get", "c.seen").GetAwaiter().GetResult().Stdout.Contains("2026-02-03T04:05:06.789Z\tIMPORTED", StringComparison.Ordinal), "c.seen from the imported sample");
    }

    [Fact]
    public async Task ADataImportThroughTheAgentThatBreaksARuleStoresNothingOfItsBatch()
    {
        var file = Path.Combine(Home.Home, "import-bad.json");
        // One uri as both types in one batch: the agent's store refuses the batch, as the store itself would.
        await File.WriteAllTextAsync(file, """
            {"uri": "c.bad-import", "t": "2026-02-03T04:05:07Z", "type": "datasource", "value": "x"}
            {"uri": "c.bad-import", "t": "2026-02-03T04:05:08Z", "type": "datapoint", "value": "1"}
            """);

        var import = await Home.Cli.RunAsync("data", "import", file);

        Assert.Equal(2, import.ExitCode);
        Assert.Equal("uri 'c.bad-import' holds datasources; a datapoint cannot be stored there; the 0 samples before it were stored", Assert.Single(import.ErrorLines));
        Assert.Equal("", (await Home.Cli.RunAsync("data", "ls", "c.bad-import")).Stdout);
    }

    [Fact]
    public async Task RestartingAFatalVenvBringsItBack()
    {
        await Home.WaitForVenvAsync("flaky", "Fatal");
        File.Delete(Path.Combine(Home.Home, "flaky.fail"));

        var restart = await Home.Cli.RunAsync("restart", "flaky");

        Assert.Equal(0, restart.ExitCode);
        Assert.StartsWith("flaky: Starting", restart.Stdout, StringComparison.Ordinal);
        var flaky = await Home.WaitForVenvAsync("flaky", "Running", TimeSpan.FromMinutes(1));
        Assert.Equal(JsonValueKind.Null, flaky.GetProperty("packages")[0].GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task SteeringAVenvThatDoesNotExistNamesTheVenvs()
    {
        var result = await Home.Cli.RunAsync("stop", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("no venv 'nope'; venvs: reactor, writer, fatal, flaky", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task TheConsoleShowsTheVenvsAndARestartKeyRestartsOne()
    {
        var before = (await Home.WaitForVenvAsync("reactor", "Running")).GetProperty("pid").GetInt32();
        var exitFile = Path.Combine(Home.Home, $"console-{Guid.NewGuid():N}.exit");
        await using var tmux = await TmuxSession.StartAsync($"HOME={Home.Home} dotnet {Repo.KomlogdDll} console; echo $? > {exitFile}");
        var screen = "";
        await Eventually.WaitAsync(() => (screen = tmux.Capture()).Contains("flaky", StringComparison.Ordinal), "the console's venv table");
        Assert.All(new[] { "reactor", "writer", "fatal", "Running", "Fatal", "q quit" }, s => Assert.Contains(s, screen, StringComparison.Ordinal));
        Assert.All(screen.Split('\n'), l => Assert.True(l.TrimEnd().Length <= 80));

        await tmux.SendKeysAsync("r"); // the first row, reactor, is selected
        await Eventually.WaitAsync(() => tmux.Capture().Contains("reactor restarted", StringComparison.Ordinal), "the restart message");
        var after = await Home.WaitForVenvAsync("reactor", "Running");
        Assert.NotEqual(before, after.GetProperty("pid").GetInt32());

        await tmux.SendKeysAsync("q");
        await Eventually.WaitAsync(() => File.Exists(exitFile) && File.ReadAllText(exitFile).Trim().Length > 0, "the console to quit");
        Assert.Equal("0", File.ReadAllText(exitFile).Trim());
    }

    [Fact]
    public async Task LogsOfOneVenvShowOnlyThatVenvsLines()
    {
        var result = await Home.Cli.RunAsync("logs", "reactor");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("] [reactor] TestPkg.Reactor: reactor loaded", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("] [reactor] ", l, StringComparison.Ordinal));
        Assert.Contains("[fatal]", (await Home.Cli.RunAsync("logs")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyClientsAtOnceAndClientsThatHangUpMidCallHarmNothing()
    {
        var socket = Path.Combine(Home.Cli.ConfigDir, "komlogd.sock");
        // Half a message, then gone.
        using (var raw = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            await raw.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
            await raw.SendAsync("Content-Length: 200\r\n\r\n{\"jsonrpc\":\"2.0\","u8.ToArray());
        }
        // A call whose client leaves before the answer.
        var leaving = await Komlogd.Core.Control.ControlClient.TryConnectAsync(socket);
        _ = leaving!.StatusAsync();
        leaving.Dispose();

        var clients = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Komlogd.Core.Control.ControlClient.TryConnectAsync(socket)));
        var statuses = await Task.WhenAll(clients.Select(c => c!.StatusAsync()));
        foreach (var c in clients)
        {
            c!.Dispose();
        }

        Assert.All(statuses, s => Assert.Equal(Home.Agent!.Pid, s.Pid));
        Assert.False(Home.Agent!.HasExited);
        Assert.Equal(0, (await Home.Cli.RunAsync("status")).ExitCode);
    }

    [Fact]
    public async Task AnInsertThroughTheSocketWithAnUnknownTypeIsRefusedAndStoresNothing()
    {
        using var client = await Komlogd.Core.Control.ControlClient.TryConnectAsync(Path.Combine(Home.Cli.ConfigDir, "komlogd.sock"));

        var e = await Assert.ThrowsAsync<Komlogd.Core.KomlogdException>(() => client!.InsertAsync(
            [new("typo.ok", "datapoint", null, "1"), new("typo.bad", "datapiont", null, "2")]));

        Assert.Equal("uri 'typo.bad': type 'datapiont' must be datasource or datapoint; nothing was stored", e.Message);
        var ls = await Home.Cli.RunAsync("data", "ls", "typo");
        Assert.Equal((0, ""), (ls.ExitCode, ls.Stdout));
    }

    /// <summary>
    /// The CLI's own JSON-RPC client (docs/cli.md) against the agent's StreamJsonRpc end: supplies written by
    /// hand arrive as the agent reads them (none apart from absent), and an answer many times the client's
    /// 16 KiB buffer is read whole.
    /// </summary>
    [Fact]
    public async Task ShortClientCarriesSuppliesAndReadsAnAnswerLargerThanItsBuffer()
    {
        var text = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"row{i}: {i * 7}"));

        var none = await Home.Cli.RunAsync(["-u", "big.none", "--supplies", "none"], stdin: text);
        var all = await Home.Cli.RunAsync(["-u", "big.all"], stdin: text);
        Assert.Equal((0, 0), (none.ExitCode, all.ExitCode));

        // Automatic datapoints for key: value lines, capped at 200 per datasource; none with --supplies none.
        var listed = await Home.Cli.RunAsync("data", "ls", "big");
        var uris = listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToList();
        Assert.Equal(["big.none"], uris.Where(u => u.StartsWith("big.none", StringComparison.Ordinal)));
        Assert.Equal(201, uris.Count(u => u.StartsWith("big.all", StringComparison.Ordinal)));

        var shown = await Home.Cli.RunAsync("identify", "big.all", "--json");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.True(shown.Stdout.Length > 10 * 16 * 1024, $"{shown.Stdout.Length} bytes");
        var numbers = JsonDocument.Parse(shown.Stdout).RootElement;
        Assert.Equal(3000, numbers.GetArrayLength());
        Assert.Equal("20993", numbers[2999].GetProperty("value").ToString());
    }

    private List<(DateTimeOffset T, decimal Value)> Samples(string uri, DateTimeOffset? at = null)
    {
        var args = new List<string> { "data", "get", uri, "--json" };
        if (at is { } t)
        {
            args.AddRange(["--from", t.ToString("O", CultureInfo.InvariantCulture), "--to", t.ToString("O", CultureInfo.InvariantCulture)]);
        }
        var result = Home.Cli.RunAsync([.. args]).GetAwaiter().GetResult();
        return JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray()
            .Select(e => (DateTimeOffset.Parse(e.GetProperty("t").GetString()!, CultureInfo.InvariantCulture), decimal.Parse(e.GetProperty("value").GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }
}
