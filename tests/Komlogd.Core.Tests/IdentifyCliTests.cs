using System.Text.Json;
using Komlogd.Identification;

namespace Komlogd.Core.Tests;

/// <summary><c>komlogd identify</c> through the real process, straight to the store (no agent runs).</summary>
public sealed class IdentifyCliTests : IDisposable
{
    private readonly TempDir _home = new("identifycli");
    private readonly KomlogdCli _cli;

    public IdentifyCliTests()
    {
        _cli = new KomlogdCli(_home.Path);
        _cli.WriteConfig("- username: alice\n");
    }

    private async Task Put(string text, string uri = "host.df")
    {
        var put = await _cli.RunAsync(["-u", uri], stdin: text);
        Assert.True(put.ExitCode == 0, put.ToString());
    }

    private async Task<CliResult> Ok(params string[] args)
    {
        var result = await _cli.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Fact]
    public async Task TheListingIndexesEveryNumberFromOneWithItsPositionValueAndName()
    {
        await Put(DfTexts.First);

        var json = await Ok("identify", "host.df", "--json");
        var text = await Ok("identify", "host.df");

        var numbers = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        var found = NumberFinder.Find(DfTexts.First);
        Assert.Equal(found.Count, numbers.Count);
        var used = numbers[DfTexts.RootUsedIndex - 1];
        Assert.Equal(DfTexts.RootUsedIndex, used.GetProperty("index").GetInt32());
        Assert.Equal(DfTexts.First.IndexOf("14976628", StringComparison.Ordinal), used.GetProperty("position").GetInt32());
        Assert.Equal(8, used.GetProperty("length").GetInt32());
        Assert.Equal(14976628m, used.GetProperty("value").GetDecimal());
        Assert.Equal("dev_vda.Used", used.GetProperty("name").GetString());
        Assert.Contains($"[{DfTexts.RootUsedIndex}]14976628", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  [{DfTexts.RootUsedIndex}] 14976628\thost.df.dev_vda.Used", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANamedValueFeedsItsDatapointFromTheNextSampleOnAndCanBeCorrectedAndForgotten()
    {
        await Put(DfTexts.First);

        var named = await Ok("identify", "host.df", DfTexts.RootUsedIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), "root_used");
        await Put(DfTexts.Second);
        var get = await Ok("data", "get", "host.df.root_used");
        var check = await Ok("identify", "host.df", "--check");
        var wrong = await Ok("identify", "host.df", "--not", "13", "root_used");
        var forgot = await Ok("identify", "host.df", "--forget", "root_used");
        await Put(DfTexts.First);
        var after = await Ok("data", "get", "host.df.root_used");

        Assert.Equal("host.df.root_used: named; this sample gives 14976628\n", named.Stdout);
        Assert.Equal(["14976928"], get.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[1]));
        Assert.Contains("root_used\tfound 2\tmissing 0\tambiguous 0\n", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("dev_vda.Used (automatic)\tfound 2", check.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("host.df.root_used: marked wrong; ", wrong.Stdout, StringComparison.Ordinal);
        Assert.Equal("host.df.root_used: forgotten; the samples already written stay\n", forgot.Stdout);
        Assert.Equal(get.Stdout, after.Stdout);
    }

    [Fact]
    public async Task NamingWithBackfillWritesThePastSamplesFromATimeOn()
    {
        await Put(DfTexts.First);
        await Put(DfTexts.Second);
        await Put(DfTexts.First);
        var times = JsonDocument.Parse((await Ok("data", "get", "host.df", "--json")).Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("t").GetString()!).ToList();

        var all = await Ok("identify", "host.df", "--position", DfTexts.First.IndexOf("14976628", StringComparison.Ordinal).ToString(System.Globalization.CultureInfo.InvariantCulture), "root_used", "--at", times[2], "--backfill", "--from", times[1]);
        var get = await Ok("data", "get", "host.df.root_used");

        Assert.Equal("host.df.root_used: named; this sample gives 14976628\n2 past samples written (no OnUpdate runs for them)\n", all.Stdout);
        Assert.Equal([$"{times[0]}\t14976628", $"{times[1]}\t14976928"], get.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task BadInputIsOneLineAndExit2()
    {
        await Put(DfTexts.First);
        var point = await _cli.RunAsync(["-u", "host.load", "--datapoint"], stdin: "0.5");
        Assert.Equal(0, point.ExitCode);

        (string[] Args, string Line)[] cases =
        [
            (["identify", "host.nope"], "uri 'host.nope' is not in the store; 'komlogd data ls' lists the uris"),
            (["identify", "host.load"], "uri 'host.load' holds datapoints; identify reads the texts of a datasource"),
            (["identify", "host.load", "1", "x"], "uri 'host.load' holds datapoints; identify reads the texts of a datasource"),
            (["identify", "host.df", "99", "x"], "number 99 is out of range: the sample has numbers 1 to 16"),
            (["identify", "host.df", "0", "x"], "number 0 is out of range: the sample has numbers 1 to 16"),
            (["identify", "host.df", "3", "a.b"], "'a.b' is not a name: a name is one uri level, letters, digits, '-' and '_'"),
            (["identify", "host.df", "x", "a"], "identify: INDEX 'x' is not a number of the listing (1, 2, …)"),
            (["identify", "host.df", "3"], "identify: name a number with INDEX NAME, e.g. 'komlogd identify host.df 3 root_used'"),
            (["identify", "host.df", "--not", "3", "nosuch"], "no value is named 'nosuch'"),
            (["identify", "host.df", "--forget", "nosuch"], "host.df has no name 'nosuch'; 'komlogd identify host.df --check' lists its names"),
            (["identify", "host.df", "--at", "2000-01-01T00:00:00Z"], "uri 'host.df' has no sample at or before 2000-01-01T00:00:00.000Z"),
            (["identify", "host.df", "--at", "yesterday"], "--at 'yesterday' is not a time; use ISO-8601, e.g. 2026-01-31T12:00:00Z"),
            (["identify", "host.df", "--check", "--forget", "x"], "identify: give one of --position, --not, --forget and --check"),
            (["identify", "host.df", "--backfill"], "--backfill and --from go with naming: 'komlogd identify URI INDEX NAME --backfill [--from T]'"),
            (["identify", "host..df"], "uri 'host..df' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$)"),
        ];
        foreach (var (args, line) in cases)
        {
            var result = await _cli.RunAsync(args);

            Assert.True(result.ExitCode == 2, $"{string.Join(' ', args)}: {result}");
            Assert.Equal(line, Assert.Single(result.ErrorLines));
            Assert.Equal("", result.Stdout);
        }
    }

    [Fact]
    public async Task SuppliesNoneForAPipedTextCreatesNoDatapointsAndAListOnlyThose()
    {
        var none = await _cli.RunAsync(["-u", "host.df", "--supplies", "none"], stdin: DfTexts.First);
        var only = await _cli.RunAsync(["-u", "host.free", "--supplies", "dev_vda.Used,dev_vda.Available"], stdin: DfTexts.First);
        var later = await _cli.RunAsync(["-u", "host.df"], stdin: DfTexts.Second);
        var ls = await Ok("data", "ls");

        Assert.Equal((0, 0, 0), (none.ExitCode, only.ExitCode, later.ExitCode));
        Assert.Equal(["host.df", "host.free", "host.free.dev_vda.Available", "host.free.dev_vda.Used"],
            ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
    }

    [Fact]
    public async Task BadSuppliesAreOneLineAndStoreNothing()
    {
        var bad = await _cli.RunAsync(["-u", "host.df", "--supplies", "a,.b"], stdin: DfTexts.First);
        var point = await _cli.RunAsync(["-u", "host.x", "--datapoint", "--supplies", "none"], stdin: "1");
        var alone = await _cli.RunAsync(["--supplies", "none"]);

        Assert.Equal((2, "--supplies: '.b': uri '.b' starts with a dot; a uri is levels of [A-Za-z0-9-_] joined by single dots; give names joined by commas, 'none' or 'all'; nothing was stored"),
            (bad.ExitCode, Assert.Single(bad.ErrorLines)));
        Assert.Equal((2, "--supplies goes with a text sample, not --datapoint; nothing was stored"), (point.ExitCode, Assert.Single(point.ErrorLines)));
        Assert.Equal((2, "--supplies goes with -u URI: 'df -k | komlogd -u host.df --supplies none'"), (alone.ExitCode, Assert.Single(alone.ErrorLines)));
        Assert.Equal("", (await Ok("data", "ls")).Stdout);
    }

    public void Dispose() => _home.Dispose();
}
