using Komlogd.Core;
using Komlogd.Core.Export;
using Komlogd.Core.Store;
using Microsoft.Extensions.Time.Testing;

namespace Komlogd.Export.Tests;

/// <summary>
/// The outbox's reader against a real store and a real HTTP back end (<see cref="RemoteWriteReceiver"/>), on
/// a fake clock: backoff, polling and timeouts advance only when the test says, so nothing here sleeps for
/// them. Prometheus itself: PrometheusExportTests.
/// </summary>
public sealed class RemoteWriteExporterTests : IAsyncLifetime
{
    private readonly TempDir _dir = new("export-unit");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly MemoryLog _log = new();
    private readonly List<IAsyncDisposable> _exporters = [];
    private SampleStore _store = null!;

    public Task InitializeAsync()
    {
        _store = SampleStore.Open(_dir["data/komlogd.db"]);
        return Task.CompletedTask;
    }

    private ExportBlock Block(string url) => new()
    {
        File = _dir["komlogd.yaml"],
        Block = 2,
        Line = 3,
        Kind = ExportKind.RemoteWrite,
        Target = url,
        Batch = 100,
        Instance = "test-host",
        Labels = [new("env", "t")],
        Timeout = TimeSpan.FromSeconds(5),
    };

    private RemoteWriteExporter Start(ExportBlock block)
    {
        var exporter = new RemoteWriteExporter(block, _store, _time, _log.Logger);
        _exporters.Add(exporter);
        return exporter;
    }

    /// <summary>Starts an exporter and waits until it has its cursor (samples inserted after this are "new").</summary>
    private async Task<RemoteWriteExporter> StartedAsync(ExportBlock block)
    {
        var exporter = Start(block);
        await Eventually.WaitAsync(() => exporter.Cursor >= 0, "the exporter's cursor");
        return exporter;
    }

    /// <summary>Moves the fake clock on in poll-sized steps until the condition holds (a real-time timeout fails the test).</summary>
    private async Task DriveAsync(Func<bool> condition, string what, TimeSpan? step = null)
    {
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; log:\n{string.Join('\n', _log.Lines.TakeLast(20))}");
            }
            _time.Advance(step ?? RemoteWriteExporter.Poll);
            await Task.Delay(5);
        }
    }

    private void Insert(params (string Uri, long T, string Value)[] samples) =>
        _store.Insert(samples.Select(s => new NewSample(s.Uri, SampleType.Datapoint, s.T, s.Value)).ToList());

    [Fact]
    public async Task ABatchCarriesTheProtocolHeadersSortedLabelsAndEachSeriesInTimeOrder()
    {
        using var receiver = new RemoteWriteReceiver();
        var exporter = await StartedAsync(Block(receiver.Url));
        // One commit: the exporter's loop runs from its start, and a text committed after the page it read
        // would still be owed (lag 1) when the status is read below.
        _store.Insert(
        [
            new NewSample("a.x", SampleType.Datapoint, 2000, "2"),
            new NewSample("a.x", SampleType.Datapoint, 1000, "1.50"),
            new NewSample("b.y-z", SampleType.Datapoint, 1000, "3"),
            new NewSample("text", SampleType.Datasource, 1000, "not exported"),
        ]);

        await DriveAsync(() => exporter.Status().Sent == 3, "three samples sent");

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("snappy", request.Headers["Content-Encoding"]);
        Assert.Equal("application/x-protobuf", request.Headers["Content-Type"]);
        Assert.Equal("0.1.0", request.Headers["X-Prometheus-Remote-Write-Version"]);
        Assert.StartsWith("komlogd/", request.Headers["User-Agent"], StringComparison.Ordinal);
        var a = request.Body.Timeseries.Single(ts => ts.Labels.Any(l => l.Value == "a.x"));
        Assert.Equal([("__name__", "a_x"), ("env", "t"), ("instance", "test-host"), ("job", "komlogd"), ("uri", "a.x")], a.Labels.Select(l => (l.Name, l.Value)));
        Assert.Equal([(1000L, 1.5), (2000L, 2.0)], a.Samples.Select(s => (s.Timestamp, s.Value)));
        Assert.Equal("b_y_z", request.Body.Timeseries.Single(ts => ts.Labels.Any(l => l.Value == "b.y-z")).Labels[0].Value);
        Assert.Equal(2, request.Body.Timeseries.Count);
        var status = exporter.Status();
        Assert.Equal(("Running", 0L, 0.0, 0L), (status.State, status.LagSamples, status.LagSeconds, status.Dropped));
    }

    [Fact]
    public async Task ANewTargetStartsAfterWhatIsCommittedAndFromOldestSendsTheHistory()
    {
        Insert(("old", 1, "1"), ("old", 2, "2"));
        using var receiver = new RemoteWriteReceiver();
        using var history = new RemoteWriteReceiver();
        var now = await StartedAsync(Block(receiver.Url));
        var oldest = await StartedAsync(Block(history.Url) with { FromOldest = true });
        Insert(("new", 3, "3"));

        await DriveAsync(() => now.Status().Sent == 1 && oldest.Status().Sent == 3, "both caught up");

        Assert.Equal(["new"], receiver.Delivered.Select(s => s.Uri));
        Assert.Equal(["old", "old", "new"], history.Delivered.Select(s => s.Uri));
    }

    [Fact]
    public async Task TheCursorMovesOnlyAfterA2xxAndTheNextExporterOfTheTargetSendsWhatWasNotAcknowledged()
    {
        using var receiver = new RemoteWriteReceiver(_ => (503, "down for maintenance"));
        var first = await StartedAsync(Block(receiver.Url));
        var start = first.Cursor;
        Insert(("a", 1, "1"), ("a", 2, "2"));
        await DriveAsync(() => receiver.Requests.Count >= 2, "two attempts");
        Assert.Equal(("Backoff", 2L), (first.Status().State, first.Status().LagSamples));
        Assert.Equal("HTTP 503 Service Unavailable: down for maintenance", first.Status().LastError);

        await first.DisposeAsync();
        Assert.Equal(start, _store.LoadCursor(receiver.Url));

        var second = Start(Block(receiver.Url));
        // At once, before its loop has run: the resumed cursor, not an unknown one shown as caught up.
        Assert.Equal(2L, second.Status().LagSamples);
        receiver.Answer = _ => (200, "");
        await DriveAsync(() => second.Status().Sent == 2, "the resumed exporter to send");
        await Eventually.WaitAsync(() => _store.LoadCursor(receiver.Url) == _store.LastSeq, "the cursor saved past them");
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task AnAnswerWorthRetryingIsSentAgainOnlyWhenTheBackoffHasPassedOnTheClock(int status)
    {
        var answers = 0;
        using var receiver = new RemoteWriteReceiver(_ => Interlocked.Increment(ref answers) == 1 ? (status, "busy") : (204, ""));
        var exporter = await StartedAsync(Block(receiver.Url));
        Insert(("a", 1, "1"));
        await DriveAsync(() => receiver.Requests.Count == 1 && exporter.Status().State == "Backoff", "the first attempt");

        // The first retry waits 0.5 s ± 20 %: 0.35 s on the clock is not enough, however long the test waits.
        _time.Advance(TimeSpan.FromMilliseconds(350));
        await Task.Delay(300);
        Assert.Single(receiver.Requests);

        _time.Advance(TimeSpan.FromSeconds(1));
        await DriveAsync(() => exporter.Status().Sent == 1, "the retry to deliver");
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal("Running", exporter.Status().State);
        Assert.Contains(_log.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains($"HTTP {status}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOther4xxDropsThatBatchSaysSoAndTheNextBatchGoesOn()
    {
        using var receiver = new RemoteWriteReceiver(r => r.Samples.Any(s => s.Uri == "bad") ? (400, "invalid label set") : (204, ""));
        var exporter = await StartedAsync(Block(receiver.Url) with { Batch = 2 });
        Insert(("bad", 1, "1"), ("bad", 2, "2"));
        Insert(("good", 1, "1"));

        await DriveAsync(() => exporter.Status().Sent == 1, "the good batch");

        var status = exporter.Status();
        Assert.Equal((2L, 0L, 0L), (status.Dropped, status.Refused, status.LagSamples));
        Assert.Equal("HTTP 400 Bad Request: invalid label set", status.LastError);
        Assert.Contains(_log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("dropped 2 sample(s): the back end answered HTTP 400 Bad Request: invalid label set", StringComparison.Ordinal));
        Assert.Equal(["good"], receiver.Delivered.Select(s => s.Uri));
    }

    [Theory]
    [InlineData(400, "out of order sample")]
    [InlineData(500, "too old sample")]
    [InlineData(400, "duplicate sample for timestamp")]
    public async Task SamplesRefusedAsOutOfOrderOrTooOldAreIsolatedAndCountedAndTheOthersDelivered(int status, string why)
    {
        // As Prometheus: one refused sample rolls back the whole request.
        using var receiver = new RemoteWriteReceiver(r => r.Samples.Any(s => s.Value == 666) ? (status, why) : (204, ""));
        var exporter = await StartedAsync(Block(receiver.Url));
        Insert([.. Enumerable.Range(1, 10).Select(i => ("a", (long)i, i is 3 or 8 ? "666" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

        await DriveAsync(() => exporter.Status().Sent + exporter.Status().Refused == 10, "every sample settled");
        // The page's one warning comes after its samples are counted (the counts can be read in between).
        await DriveAsync(() => _log.Lines.Any(l => l.StartsWith("Warning", StringComparison.Ordinal)), "the refusals' warning");

        Assert.Equal((8L, 2L, 0L, "Running"), (exporter.Status().Sent, exporter.Status().Refused, exporter.Status().Dropped, exporter.Status().State));
        Assert.Equal([1L, 2, 4, 5, 6, 7, 9, 10], receiver.Delivered.Select(s => s.TimeMs).Order());
        var warning = Assert.Single(_log.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("refused 2 sample(s) as out of order, too old or changed (first: a at", warning, StringComparison.Ordinal);
        Assert.Contains(why, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestWithoutAnAnswerWithinTheTimeoutIsRetried()
    {
        var hold = new TaskCompletionSource();
        using var receiver = new RemoteWriteReceiver { Hold = hold.Task };
        var exporter = await StartedAsync(Block(receiver.Url));
        Insert(("a", 1, "1"));
        await DriveAsync(() => receiver.Requests.Count == 1, "the request");

        _time.Advance(TimeSpan.FromSeconds(5));
        await DriveAsync(() => exporter.Status().State == "Backoff", "the timeout", TimeSpan.Zero);
        Assert.Equal("no answer within 5 s (timeout)", exporter.Status().LastError);

        receiver.Hold = null;
        hold.SetResult();
        await DriveAsync(() => exporter.Status().Sent == 1, "the retry", TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ARefusedConnectionIsRetriedAndSaysSo()
    {
        var exporter = await StartedAsync(Block($"http://127.0.0.1:{FreePort.Next()}/api/v1/write"));
        Insert(("a", 1, "1"));

        await DriveAsync(() => exporter.Status().State == "Backoff", "a failed attempt");

        Assert.Contains("Connection refused", exporter.Status().LastError, StringComparison.Ordinal);
        Assert.Equal(1, exporter.Status().LagSamples);
    }

    [Fact]
    public async Task TheBearerTokenIsReadForEachRequestAndAMissingTokenFileIsRetriedWithTheReason()
    {
        await File.WriteAllTextAsync(_dir["token"], "first\n");
        using var receiver = new RemoteWriteReceiver();
        var exporter = await StartedAsync(Block(receiver.Url) with { BearerTokenFile = _dir["token"] });
        Insert(("a", 1, "1"));
        await DriveAsync(() => exporter.Status().Sent == 1, "the first sample");
        await File.WriteAllTextAsync(_dir["token"], "rotated");
        Insert(("a", 2, "2"));
        await DriveAsync(() => exporter.Status().Sent == 2, "the second sample");
        File.Delete(_dir["token"]);
        Insert(("a", 3, "3"));

        await DriveAsync(() => exporter.Status().State == "Backoff", "the missing token");

        Assert.Equal(["Bearer first", "Bearer rotated"], receiver.Requests.Select(r => r.Headers["Authorization"]));
        Assert.StartsWith($"{_dir["komlogd.yaml"]}:3: block 2 'export': cannot read bearer_token_file '{_dir["token"]}': ", exporter.Status().LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenFileThatCannotBeReadKeepsTheBlockFromStartingWithOneLine()
    {
        var e = Assert.Throws<KomlogdException>(() => Start(Block("http://127.0.0.1:1/w") with { BearerTokenFile = _dir["missing-token"] }));

        Assert.StartsWith($"{_dir["komlogd.yaml"]}:3: block 2 'export': cannot read bearer_token_file '{_dir["missing-token"]}': Could not find file", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("ca_file")]
    [InlineData("cert_file and key_file")]
    public void ACertificateFileThatIsNotPemKeepsTheBlockFromStarting(string setting)
    {
        File.WriteAllText(_dir["bad.pem"], "not a certificate");
        var block = Block("https://127.0.0.1:1/w");
        block = setting == "ca_file" ? block with { CaFile = _dir["bad.pem"] } : block with { CertFile = _dir["bad.pem"], KeyFile = _dir["bad.pem"] };

        var e = Assert.Throws<KomlogdException>(() => Start(block));

        Assert.StartsWith($"{_dir["komlogd.yaml"]}:3: block 2 'export': cannot read {setting} '{_dir["bad.pem"]}': ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BasicAuthSendsTheUserAndThePasswordFromItsFile()
    {
        await File.WriteAllTextAsync(_dir["password"], "s3cret\n");
        using var receiver = new RemoteWriteReceiver();
        var exporter = await StartedAsync(Block(receiver.Url) with { BasicAuthUsername = "alice", BasicAuthPasswordFile = _dir["password"] });
        Insert(("a", 1, "1"));

        await DriveAsync(() => exporter.Status().Sent == 1, "the sample");

        Assert.Equal($"Basic {Convert.ToBase64String("alice:s3cret"u8.ToArray())}", Assert.Single(receiver.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task ExcludedUrisAreNotSentButTheCursorMovesPastThem()
    {
        using var receiver = new RemoteWriteReceiver();
        var exporter = await StartedAsync(Block(receiver.Url) with { Include = ["host.**"], Exclude = ["host.secret"] });
        Insert(("host.secret", 1, "1"), ("other", 1, "1"));
        await DriveAsync(() => exporter.Cursor == _store.LastSeq, "the cursor past the skipped samples");
        Insert(("host.cpu", 1, "5"));

        await DriveAsync(() => exporter.Status().Sent == 1, "host.cpu");

        Assert.Equal(["host.cpu"], receiver.Delivered.Select(s => s.Uri));
        Assert.Single(receiver.Requests);
    }

    /// <summary>SQL on the store's file from another connection: a way to make the store fail for real.</summary>
    private void Sql(string sql)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir["data/komlogd.db"]};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task ACursorThatCannotBeSavedIsShownAndLoggedWhileSamplesAreStillDelivered()
    {
        using var receiver = new RemoteWriteReceiver();
        var exporter = await StartedAsync(Block(receiver.Url));
        Sql("CREATE TRIGGER no_cursor BEFORE UPDATE ON export_cursors BEGIN SELECT RAISE(ABORT, 'cursor table says no'); END");
        Insert(("a", 1, "1"));

        await DriveAsync(() => exporter.Status().Sent == 1 && exporter.Status().LastError is not null, "the failed save shown");

        Assert.StartsWith("saving the cursor failed: SqliteException: ", exporter.Status().LastError, StringComparison.Ordinal);
        Assert.Contains("cursor table says no", exporter.Status().LastError, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("saving the cursor failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStoreThatCannotBeReadPutsTheBlockInBackoffWithTheReasonUntilItCanAgain()
    {
        using var receiver = new RemoteWriteReceiver();
        // The store fails before the exporter starts, with a sample owed (from: oldest): started first, its loop
        // could read the sample between the insert and the rename, and then have nothing more to read.
        Insert(("a", 1, "1"));
        Sql("ALTER TABLE metrics RENAME TO metrics_away");
        var exporter = await StartedAsync(Block(receiver.Url) with { FromOldest = true });

        await DriveAsync(() => exporter.Status().State == "Backoff", "the failed read");
        Assert.Equal("SqliteException: SQLite Error 1: 'no such table: m'.", exporter.Status().LastError?.Replace("metrics", "m", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("no such table", StringComparison.Ordinal));

        Sql("ALTER TABLE metrics_away RENAME TO metrics");
        await DriveAsync(() => exporter.Status().Sent == 1, "the sample after the store is back", TimeSpan.FromSeconds(1));
        Assert.Equal("Running", exporter.Status().State);
    }

    [Fact]
    public async Task ACursorThatCannotBeLoadedAtTheStartShowsBackoffWithTheReasonAndEverythingOwedUntilItCanBe()
    {
        using var receiver = new RemoteWriteReceiver();
        await (await StartedAsync(Block(receiver.Url))).DisposeAsync();
        Insert(("a", 1, "1"), ("a", 2, "2"));
        Sql("ALTER TABLE export_cursors RENAME TO cursors_away");

        var exporter = Start(Block(receiver.Url));
        var status = exporter.Status();
        Assert.Equal(("Backoff", _store.LastSeq), (status.State, status.LagSamples));
        Assert.Contains("no such table: export_cursors", status.LastError, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("reading its cursor failed", StringComparison.Ordinal));

        Sql("ALTER TABLE cursors_away RENAME TO export_cursors");
        await DriveAsync(() => exporter.Status().Sent == 2, "the samples once the cursor loads", TimeSpan.FromSeconds(1));
        Assert.Equal(("Running", 0L, (string?)null), (exporter.Status().State, exporter.Status().LagSamples, exporter.Status().LastError));
    }

    public async Task DisposeAsync()
    {
        foreach (var exporter in _exporters)
        {
            await exporter.DisposeAsync();
        }
        _store.Dispose();
        _dir.Dispose();
    }
}
