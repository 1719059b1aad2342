using System.Text.Json;

namespace Komlogd.Core.Tests;

/// <summary><c>cmd | komlogd -u URI</c> and reading it back, through the real process.</summary>
public sealed class UriSampleTests : IDisposable
{
    private readonly TempDir _home = new("urisample");
    private readonly KomlogdCli _cli;

    public UriSampleTests()
    {
        _cli = new KomlogdCli(_home.Path);
        _cli.WriteConfig("- username: alice\n");
    }

    [Fact]
    public async Task APipedTextIsStoredAndReadBackAsJson()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var put = await _cli.RunAsync(["-u", "host.occupation"], stdin: "a\nb");
        Assert.True(put.ExitCode == 0, put.ToString());

        var get = await _cli.RunAsync("data", "get", "host.occupation", "--json");

        Assert.Equal(0, get.ExitCode);
        var sample = Assert.Single(JsonDocument.Parse(get.Stdout).RootElement.EnumerateArray());
        Assert.Equal("host.occupation", sample.GetProperty("uri").GetString());
        Assert.Equal("datasource", sample.GetProperty("type").GetString());
        Assert.Equal("a\nb", sample.GetProperty("value").GetString());
        var t = DateTimeOffset.Parse(sample.GetProperty("t").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(t, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", sample.GetProperty("t").GetString());
    }

    [Fact]
    public async Task SamplesComeBackNewestFirstAndListedWithCounts()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await _cli.RunAsync(["-u", "a.b"], stdin: $"sample {i}")).ExitCode);
        }
        Assert.Equal(0, (await _cli.RunAsync(["-u", "a.c-d_e"], stdin: "x")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync(["-u", "ab"], stdin: "not below a")).ExitCode);

        var get = await _cli.RunAsync("data", "get", "a.b", "--count", "2");
        var ls = await _cli.RunAsync("data", "ls", "a");

        Assert.Equal(["sample 2", "sample 1"], get.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[1]));
        Assert.Equal(["a.b\tdatasource\t3", "a.c-d_e\tdatasource\t1"],
            ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join('\t', l.Split('\t')[..3])));
    }

    public static TheoryData<string, string> BadUris => new()
    {
        { ".host", "uri '.host' starts with a dot; a uri is levels of [A-Za-z0-9-_] joined by single dots; nothing was stored" },
        { "host..cpu", "uri 'host..cpu' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$); nothing was stored" },
        { "host cpu", "uri 'host cpu' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$); nothing was stored" },
        { "hôst", "uri 'hôst' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$); nothing was stored" },
        { new string('a', 257), "uri is 257 characters long; the limit is 256; nothing was stored" },
        { "bob.:host", "uri 'bob.:host': the username before ':' must match ^([a-zA-Z0-9\\-_]+\\.)*[a-zA-Z0-9\\-_]+$; nothing was stored" },
    };

    [Theory]
    [MemberData(nameof(BadUris))]
    public async Task ABadUriGetsTheRuleItBreaksAndStoresNothing(string uri, string expected)
    {
        var result = await _cli.RunAsync(["-u", uri], stdin: "text");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, Assert.Single(result.ErrorLines));
        Assert.Equal("", (await _cli.RunAsync("data", "ls")).Stdout);
    }

    [Fact]
    public async Task InputOverTheLimitIsRefusedAndWhatWasStoredStays()
    {
        Assert.Equal(0, (await _cli.RunAsync(["-u", "big"], stdin: "kept")).ExitCode);

        var result = await _cli.RunAsync(["-u", "big"], stdin: new string('x', 128 * 1024 + 1));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("input is larger than 131072 bytes (128 KiB), the limit of a text sample; nothing was stored", Assert.Single(result.ErrorLines));
        Assert.Equal("kept", (await _cli.RunAsync("data", "get", "big")).Stdout.Split('\t')[1].TrimEnd());
    }

    [Fact]
    public async Task InputOfExactlyTheLimitIsStored()
    {
        var result = await _cli.RunAsync(["-u", "big"], stdin: new string('x', 128 * 1024));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("big\tdatasource\t1", (await _cli.RunAsync("data", "ls")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UriWithoutInputSaysSo()
    {
        var result = await _cli.RunAsync("-u", "host.occupation");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("uri parameter found, but no input detected", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task InputWithoutUriSaysSo()
    {
        var result = await _cli.RunAsync([], stdin: "some text");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("stdin data detected, but no uri parameter found", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task BadReadArgumentsGetOneLine()
    {
        var badTime = await _cli.RunAsync("data", "get", "a.b", "--from", "yesterday");
        var badCount = await _cli.RunAsync("data", "get", "a.b", "--count", "0");
        var unknown = await _cli.RunAsync("data", "get", "a.b", "--colour");

        Assert.Equal("--from 'yesterday' is not a time; use ISO-8601, e.g. 2026-01-31T12:00:00Z", Assert.Single(badTime.ErrorLines));
        Assert.Equal("--count must be 1 or more (got 0)", Assert.Single(badCount.ErrorLines));
        Assert.Equal("komlogd: Unrecognized command or argument '--colour'. (see 'komlogd --help')", Assert.Single(unknown.ErrorLines));
        Assert.All([badTime, badCount, unknown], r => Assert.Equal(2, r.ExitCode));
    }

    [Fact]
    public async Task ReadingWithoutAConfigSaysHowToCreateOne()
    {
        var cli = new KomlogdCli(_home["other"]);
        Directory.CreateDirectory(cli.Home);

        var result = await cli.RunAsync("data", "ls");

        Assert.Equal($"{cli.ConfigFile}: no such configuration file; run 'komlogd' once to create it", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task TwoProcessesImportingAtOnceLoseNothing()
    {
        // Process A writes even milliseconds, B odd ones, of one shared uri and of a uri of its own.
        static string Samples(string own, int parity) => string.Join('\n', Enumerable.Range(0, 1000).SelectMany(i => new[]
        {
            JsonSerializer.Serialize(new { uri = "shared.load", t = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + (2 * i) + parity).ToString("O"), type = "datapoint", value = $"{i}.5" }),
            JsonSerializer.Serialize(new { uri = own, t = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + i).ToString("O"), type = "datasource", value = $"text {i}" }),
        }));

        var a = _cli.RunAsync(["data", "import"], stdin: Samples("own.a", 0));
        var b = _cli.RunAsync(["data", "import"], stdin: Samples("own.b", 1));
        var results = await Task.WhenAll(a, b);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var ls = (await _cli.RunAsync("data", "ls")).Stdout;
        Assert.Contains("own.a\tdatasource\t1000\t", ls, StringComparison.Ordinal);
        Assert.Contains("own.b\tdatasource\t1000\t", ls, StringComparison.Ordinal);
        Assert.Contains("shared.load\tdatapoint\t2000\t", ls, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportingABadRecordStoresNothingAndNamesTheRecord()
    {
        var json = """[{"uri":"ok.uri","t":"2026-01-01T00:00:00Z","type":"datapoint","value":"1"},{"uri":"bad..uri","t":"2026-01-01T00:00:00Z","type":"datapoint","value":"1"}]""";

        var result = await _cli.RunAsync(["data", "import"], stdin: json);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("stdin: record 2: uri 'bad..uri' must be levels", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal("", (await _cli.RunAsync("data", "ls")).Stdout);
    }

    [Fact]
    public async Task ATextSampleCannotGoToADatapointUri()
    {
        Assert.Equal(0, (await _cli.RunAsync(["data", "import"], stdin: """{"uri":"n","t":"2026-01-01T00:00:00Z","type":"datapoint","value":"1"}""")).ExitCode);

        var result = await _cli.RunAsync(["-u", "n"], stdin: "text");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("uri 'n' holds datapoints; a datasource cannot be stored there", Assert.Single(result.ErrorLines));
    }

    public void Dispose() => _home.Dispose();
}
