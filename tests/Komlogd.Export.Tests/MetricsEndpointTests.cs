using Komlogd.Core.Control;
using Komlogd.Core.Export;
using Komlogd.Core.Store;
using Komlogd.Protocol.Control;

namespace Komlogd.Export.Tests;

/// <summary>/metrics in-process, read as Prometheus reads it (Prometheus scraping it: PrometheusExportTests).</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly TempDir _dir = new("metrics");
    private readonly MemoryLog _log = new();

    private ExportBlock Block(int port) => new()
    {
        File = _dir["komlogd.yaml"],
        Block = 3,
        Line = 7,
        Kind = ExportKind.Listen,
        Target = $"http://127.0.0.1:{port}/metrics",
        ListenHost = "127.0.0.1",
        ListenPort = port,
        Exclude = ["hidden"],
        Labels = [new("env", "t")],
    };

    private static AgentStatus Health() => new(1, "", "", 1, 4096, 0, 12,
        [new VenvStatusDto("v1", "Backoff", null, 3, "", 1, "boom", [])],
        [new ExportStatusDto("http://p/w", "remote_write", "Running", 5, 2.5, null, 100, 1, 2)]);

    [Fact]
    public async Task AScrapeServesTheNewestValueOfEachDatapointAndTheAgentsHealth()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        store.Insert([new NewSample("a.b", SampleType.Datapoint, 1, "1"), new NewSample("a.b", SampleType.Datapoint, 2, "2.5"), new NewSample("hidden", SampleType.Datapoint, 1, "9")]);
        store.Insert([new NewSample("t", SampleType.Datasource, 1, "text")]);
        var port = FreePort.Next();
        await using var endpoint = new MetricsEndpoint(Block(port), store, Health, _log.Logger);
        using var http = new HttpClient();

        var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

        Assert.Contains("a_b{uri=\"a.b\",env=\"t\"} 2.5", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", text, StringComparison.Ordinal);
        Assert.DoesNotContain("uri=\"t\"", text, StringComparison.Ordinal);
        Assert.Contains("komlogd_venv_state{venv=\"v1\",state=\"Backoff\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("komlogd_venv_state{venv=\"v1\",state=\"Running\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("komlogd_venv_restarts{venv=\"v1\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("komlogd_store_bytes 4096", text, StringComparison.Ordinal);
        Assert.Contains("komlogd_export_lag_samples{export=\"http://p/w\"} 5", text, StringComparison.Ordinal);
        Assert.Contains("komlogd_export_refused_total{export=\"http://p/w\"} 2", text, StringComparison.Ordinal);
        Assert.Equal(1, endpoint.Status().Sent);
    }

    [Fact]
    public async Task AScrapeWhoseStoreReadFailsStillAnswersAndTheBlockSaysWhy()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir["k.db"]};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "ALTER TABLE metrics RENAME TO metrics_away";
            cmd.ExecuteNonQuery();
        }
        var port = FreePort.Next();
        await using var endpoint = new MetricsEndpoint(Block(port), store, Health, _log.Logger);
        using var http = new HttpClient();

        var response = await http.GetAsync($"http://127.0.0.1:{port}/metrics");

        Assert.True(response.IsSuccessStatusCode);
        Assert.Contains("no such table", endpoint.Status().LastError, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("preparing a scrape failed", StringComparison.Ordinal));
    }

    [Fact]
    public void APortThatIsTakenKeepsTheBlockFromStartingWithOneLine()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var e = Assert.Throws<Komlogd.Core.KomlogdException>(() => new MetricsEndpoint(Block(port), store, Health, _log.Logger));

        Assert.Equal($"{_dir["komlogd.yaml"]}:7: block 3 'export': cannot listen on 127.0.0.1:{port}: Address already in use", e.Message);
    }

    [Fact]
    public void AnAddressThatIsNotThisMachinesKeepsTheBlockFromStartingWithOneLine()
    {
        using var store = SampleStore.Open(_dir["k.db"]);
        var port = FreePort.Next();

        // 192.0.2.1 is TEST-NET-1 (RFC 5737): no machine's own address. Binding fails here; nothing is sent.
        var e = Assert.Throws<Komlogd.Core.KomlogdException>(() => new MetricsEndpoint(Block(port) with { ListenHost = "192.0.2.1" }, store, Health, _log.Logger));

        Assert.StartsWith($"{_dir["komlogd.yaml"]}:7: block 3 'export': cannot listen on 192.0.2.1:{port}: ", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
