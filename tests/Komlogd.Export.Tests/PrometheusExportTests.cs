using System.Globalization;
using System.Text.Json;
using Komlogd.Core.Control;
using Komlogd.Protocol.Control;

namespace Komlogd.Export.Tests;

/// <summary>
/// The real agent exporting to the real Prometheus (Debian's package), each test with a server of its own on
/// a free loopback port. What arrives is read back through Prometheus' HTTP API and compared with the store.
/// </summary>
public sealed class PrometheusExportTests
{
    private static readonly TimeSpan Range = TimeSpan.FromMinutes(30);

    private static string PushBlock(string url, string more = "") => $"- export:\n    prometheus_remote_write: {url}\n{more}";

    private static ControlSample Point(string uri, long t, long value) => new(uri, "datapoint", t, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The store's samples of a uri, through <c>komlogd data get --json</c>: (unix ms, value).</summary>
    private static async Task<List<(long TimeMs, double Value)>> StoredAsync(ExportAgent agent, string uri)
    {
        var result = await agent.Cli.RunAsync("data", "get", uri, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray()
            .Select(s => (DateTimeOffset.Parse(s.GetProperty("t").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), double.Parse(s.GetProperty("value").GetString()!, CultureInfo.InvariantCulture)))
            .OrderBy(s => s.Item1)
            .ToList();
    }

    [Fact]
    public async Task DatapointsFromAPackageAndFromKomlogdUArriveWithTheirValuesAndTimesAndPrometheusScrapesTheAgentsHealth()
    {
        await using var agent = new ExportAgent("export-e2e");
        var listen = FreePort.Next();
        await using var prometheus = await PrometheusServer.StartAsync(agent["prometheus"], scrape: [$"127.0.0.1:{listen}"]);
        agent.Configure(agent.Package("TestPkg.Writer", "w")
            + PushBlock(prometheus.RemoteWriteUrl, "    labels: {env: test}\n")
            + $"- export:\n    prometheus_listen: 127.0.0.1:{listen}\n");
        await agent.StartAsync(new Dictionary<string, string> { ["WRITER_COUNT"] = "10" });
        var cli1 = await agent.Cli.RunAsync(["-u", "cli.value", "--datapoint"], stdin: "42.5\n");
        var cli2 = await agent.Cli.RunAsync(["-u", "cli.value", "--datapoint"], stdin: "-7");
        var text = await agent.Cli.RunAsync(["-u", "cli.text"], stdin: "a text sample is not exported\n");
        Assert.True(cli1.ExitCode + cli2.ExitCode + text.ExitCode == 0, $"{cli1}\n{cli2}\n{text}");
        await Eventually.WaitAsync(() => StoredAsync(agent, "a.x").GetAwaiter().GetResult().Count == 10, "the package's 10 samples", TimeSpan.FromMinutes(5));

        await agent.WaitForExportAsync(prometheus.RemoteWriteUrl, x => x.Sent == 12 && x.LagSamples == 0, "12 samples sent");

        var arrived = await prometheus.SamplesAsync("{job=\"komlogd\"}", Range);
        Assert.Equal(["a.x", "cli.value"], arrived.Keys.Order());
        Assert.Equal(await StoredAsync(agent, "a.x"), arrived["a.x"]);
        Assert.Equal(await StoredAsync(agent, "cli.value"), arrived["cli.value"]);
        Assert.Equal([42.5, -7], arrived["cli.value"].Select(s => s.Value));
        var labels = (await prometheus.QueryAsync("a_x"))[0].GetProperty("metric");
        Assert.Equal(("a_x", "a.x", "komlogd", Environment.MachineName, "test"),
            (labels.GetProperty("__name__").GetString(), labels.GetProperty("uri").GetString(), labels.GetProperty("job").GetString(), labels.GetProperty("instance").GetString(), labels.GetProperty("env").GetString()));

        // The scrape of /metrics: the newest value of each datapoint and the agent's health.
        async Task<double?> Scraped(string promql) =>
            (await prometheus.QueryAsync(promql)).EnumerateArray().Select(r => (double?)double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)).FirstOrDefault();
        await Eventually.WaitAsync(() => Scraped("komlogd_venv_state{job=\"komlogd-metrics\",venv=\"w\",state=\"Running\"}").GetAwaiter().GetResult() == 1, "the venv's state in Prometheus");
        Assert.Equal(0, await Scraped("komlogd_venv_state{venv=\"w\",state=\"Fatal\"}"));
        Assert.Equal(0, await Scraped("komlogd_venv_restarts{venv=\"w\"}"));
        Assert.True(await Scraped("komlogd_store_bytes") > 0);
        // A scrape taken before the export caught up may still be Prometheus' newest: wait for one after it.
        await Eventually.WaitAsync(() =>
            Scraped($"komlogd_export_lag_samples{{export=\"{prometheus.RemoteWriteUrl}\"}}").GetAwaiter().GetResult() == 0
            && Scraped($"komlogd_export_sent_total{{export=\"{prometheus.RemoteWriteUrl}\"}}").GetAwaiter().GetResult() == 12,
            "a scrape after the export caught up: lag 0, 12 sent");
        Assert.Equal(1, await Scraped($"komlogd_export_state{{export=\"{prometheus.RemoteWriteUrl}\",state=\"Running\"}}"));
        Assert.Equal(10, await Scraped("a_x{job=\"komlogd-metrics\",uri=\"a.x\"}"));
        Assert.Equal(-7, await Scraped("cli_value{job=\"komlogd-metrics\"}"));
        Assert.Null(await Scraped("{job=\"komlogd-metrics\",uri=\"cli.text\"}"));
    }

    /// <summary>Samples written every 100 ms to four uris through the control socket until stopped; what was stored, by uri.</summary>
    private sealed class SteadyWriter(ExportAgent agent) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _run;

        public Dictionary<string, List<(long TimeMs, double Value)>> Written { get; } = [];

        public int Count => Written.Values.Sum(v => v.Count);

        public void Start() => _run = Task.Run(async () =>
        {
            for (long i = 1; !_stop.IsCancellationRequested; i++)
            {
                var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var batch = Enumerable.Range(0, 4).Select(u => Point($"steady.u{u}", t, (i * 10) + u)).ToList();
                await agent.InsertAsync(batch);
                foreach (var s in batch)
                {
                    (Written.TryGetValue(s.Uri, out var list) ? list : Written[s.Uri] = []).Add((t, double.Parse(s.Value, CultureInfo.InvariantCulture)));
                }
                await Task.Delay(100);
            }
        });

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_run is not null)
            {
                await _run;
            }
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task PrometheusDownFor30SecondsWhileSamplesKeepComingGetsEverySampleOnceWhenItIsBack()
    {
        await using var agent = new ExportAgent("export-outage");
        await using var prometheus = await PrometheusServer.StartAsync(agent["prometheus"]);
        agent.Configure(PushBlock(prometheus.RemoteWriteUrl, "    batch: 50\n"));
        await agent.StartAsync();
        var writer = new SteadyWriter(agent);
        await using (writer)
        {
            writer.Start();
            await agent.WaitForExportAsync(prometheus.RemoteWriteUrl, x => x.Sent >= 20, "the first samples delivered");

            await prometheus.StopAsync();
            var down = await agent.WaitForExportAsync(prometheus.RemoteWriteUrl, x => x.State == "Backoff" && x.LagSamples > 0, "the outage seen");
            Assert.Contains("Connection refused", down.LastError, StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(30)); // the outage the issue asks for; nothing waits on it
            var during = (await agent.StatusAsync()).Exports.Single();
            Assert.True(during.LagSamples >= 200 && during.LagSeconds >= 20, $"a 30 s backlog: {during}");

            await prometheus.StartAgainAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var caughtUp = await agent.WaitForExportAsync(prometheus.RemoteWriteUrl, x => x.State == "Running" && x.LagSamples == 0, "caught up", TimeSpan.FromMinutes(2));
        var arrived = await prometheus.SamplesAsync("{job=\"komlogd\"}", Range);
        Assert.Equal(writer.Written.Keys.Order(), arrived.Keys.Order());
        foreach (var (uri, written) in writer.Written)
        {
            // Every sample, each once: the same times and values, no time twice.
            Assert.Equal(written, arrived[uri]);
        }
        Assert.Equal(0, caughtUp.Dropped);
        Assert.True(caughtUp.Sent + caughtUp.Refused >= writer.Count, caughtUp.ToString());
    }

    [Fact]
    public async Task AnAgentKilledInTheMiddleOfABacklogLosesNothingWhenStartedAgain()
    {
        await using var agent = new ExportAgent("export-kill");
        await using var prometheus = await PrometheusServer.StartAsync(agent["prometheus"]);
        await prometheus.StopAsync();
        agent.Configure(PushBlock(prometheus.RemoteWriteUrl, "    batch: 20\n"));
        await agent.StartAsync();
        // A backlog of 10,000 samples over 20 uris while the back end is down.
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        var all = Enumerable.Range(0, 10_000).Select(i => Point($"backlog.u{i % 20}", t0 + (i / 20), i)).ToList();
        foreach (var chunk in all.Chunk(1000))
        {
            await agent.InsertAsync(chunk);
        }
        await agent.WaitForExportAsync(prometheus.RemoteWriteUrl, x => x.LagSamples == 10_000, "the backlog");

        await prometheus.StartAgainAsync();
        var midway = await agent.WaitForExportAsync(prometheus.RemoteWriteUrl, x => x.Sent >= 1000, "part of the backlog delivered");
        agent.Process!.Signal(AgentProcess.SIGKILL);
        Assert.True(await agent.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(midway.LagSamples > 0, $"killed mid-backlog: {midway}");

        await agent.StartAsync();
        await agent.WaitForExportAsync(prometheus.RemoteWriteUrl, x => x.LagSamples == 0, "the rest delivered", TimeSpan.FromMinutes(3));

        var arrived = await prometheus.SamplesAsync("{job=\"komlogd\"}", Range);
        Assert.Equal(20, arrived.Count);
        foreach (var group in all.GroupBy(s => s.Uri))
        {
            Assert.Equal(group.Select(s => ((long)s.T!, double.Parse(s.Value, CultureInfo.InvariantCulture))), arrived[group.Key]);
        }
    }
}
