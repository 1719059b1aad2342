using System.Diagnostics;
using Komlogd.Core.Store;
using Komlogd.Protocol.Control;
using Komlogd.TestKit;

namespace Komlogd.Bench;

/// <summary>
/// What metric identification adds to a text's commit: <c>df -k | komlogd -u</c> with the agent up for a
/// datasource with a name and automatic detection (supplies absent) beside one with <c>--supplies none</c> and
/// no names, alternating in the same run (the floor is the second); and <see cref="SampleStore.Insert"/> of one
/// df text each way, in-process, where the process start does not hide the difference.
/// </summary>
public sealed class IdentifyUriBench(bool quick) : IBenchmark
{
    public string Name => "identify-u";

    public string Description => "komlogd -u of a df text: a datasource with names + automatic detection beside one with --supplies none, same run";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        using var dir = new TempDir("bench-identify-u");
        var texts = new[] { DfTexts.First, DfTexts.Second };

        // In-process: one text per Insert, as komlogd -u commits it.
        double named, plain;
        using (var store = SampleStore.Open(dir["store/komlogd.db"]))
        {
            store.Insert([new NewSample("bench.named", SampleType.Datasource, 1, DfTexts.First)]);
            store.Identify(new IdentifyRequest("bench.named", IdentifyOperations.Name, Index: DfTexts.RootUsedIndex, Name: "root_used"));
            store.Insert([new NewSample("bench.plain", SampleType.Datasource, 1, DfTexts.First)], supplies: new Dictionary<string, IReadOnlyList<string>?> { ["bench.plain"] = [] });
            var rounds = quick ? 200 : 1000;
            var namedTimes = new List<double>(rounds);
            var plainTimes = new List<double>(rounds);
            for (var i = 0; i < rounds; i++)
            {
                var text = texts[i % 2];
                var watch = Stopwatch.StartNew();
                store.Insert([new NewSample("bench.named", SampleType.Datasource, 2 + i, text)]);
                namedTimes.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                store.Insert([new NewSample("bench.plain", SampleType.Datasource, 2 + i, text)]);
                plainTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
            (named, plain) = (Measure.Median(namedTimes), Measure.Median(plainTimes));
        }

        // The bound at commit: a 128 KiB table of 20,000 numbers (2,000 labelled rows), 200 automatic datapoints.
        double bigNamed, bigPlain;
        var table = Komlogd.Identification.Corpus.BoundTexts.Table();
        using (var store = SampleStore.Open(dir["big/komlogd.db"]))
        {
            store.Insert([new NewSample("bench.bignamed", SampleType.Datasource, 1, table)]);
            store.Insert([new NewSample("bench.bigplain", SampleType.Datasource, 1, table)], supplies: new Dictionary<string, IReadOnlyList<string>?> { ["bench.bigplain"] = [] });
            var rounds = quick ? 5 : 15;
            var namedTimes = new List<double>(rounds);
            var plainTimes = new List<double>(rounds);
            for (var i = 0; i < rounds; i++)
            {
                var watch = Stopwatch.StartNew();
                store.Insert([new NewSample("bench.bignamed", SampleType.Datasource, 2 + i, table)]);
                namedTimes.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                store.Insert([new NewSample("bench.bigplain", SampleType.Datasource, 2 + i, table)]);
                plainTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
            (bigNamed, bigPlain) = (Measure.Median(namedTimes), Measure.Median(plainTimes));
        }

        // cmd | komlogd -u with the agent up.
        var cli = new KomlogdCli(dir["home"]);
        cli.WriteConfig("- username: bench\n");
        var namedRuns = new List<double>();
        var plainRuns = new List<double>();
        await using (var agent = AgentProcess.Start(cli.Home))
        {
            var socket = Path.Combine(cli.ConfigDir, "komlogd.sock");
            while (!File.Exists(socket))
            {
                await Task.Delay(20, ct);
            }
            await Run(cli, ["-u", "host.named"], DfTexts.First);
            await Run(cli, ["identify", "host.named", DfTexts.RootUsedIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), "root_used"], null);
            await Run(cli, ["-u", "host.plain", "--supplies", "none"], DfTexts.First);
            for (var i = 0; i < (quick ? 5 : 15); i++)
            {
                namedRuns.Add(await Run(cli, ["-u", "host.named"], texts[i % 2]));
                plainRuns.Add(await Run(cli, ["-u", "host.plain"], texts[i % 2]));
            }
            agent.Signal(AgentProcess.SIGTERM);
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        return
        [
            new("SampleStore.Insert of a df text (1 name + automatic, 17 datapoints written)", named, "ms", "the same text, --supplies none and no names", plain),
            new("SampleStore.Insert of a 128 KiB table of 20,000 numbers (200 automatic datapoints written)", bigNamed, "ms", "the same text, --supplies none", bigPlain),
            new("df text | komlogd -u, agent up (1 name + automatic, median)", Measure.Median(namedRuns), "ms", "the same text, --supplies none and no names", Measure.Median(plainRuns)),
        ];
    }

    private static async Task<double> Run(KomlogdCli cli, string[] args, string? stdin)
    {
        var watch = Stopwatch.StartNew();
        var r = await cli.RunAsync(args, stdin);
        var ms = watch.Elapsed.TotalMilliseconds;
        return r.ExitCode == 0 ? ms : throw new InvalidOperationException(r.ToString());
    }
}
