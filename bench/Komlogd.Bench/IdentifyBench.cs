using System.Diagnostics;
using System.Text.RegularExpressions;
using Komlogd.Identification;
using Komlogd.Identification.Corpus;

namespace Komlogd.Bench;

/// <summary>
/// Metric identification: precision and recall per mode on the corpus (tuning part and held-out part),
/// and the cost of extraction in µs per KiB of text beside a floor measured in the same run: a compiled
/// regular expression that matches digit runs (<c>[-+]?\d+(?:[.,]\d+)*%?</c>) over the same texts, i.e.
/// one pass that finds number-looking strings with none of the finder's rules. Extract's floor is Find.
/// </summary>
public sealed partial class IdentifyBench(bool quick) : IBenchmark
{
    public string Name => "identify";

    public string Description => "metric identification: corpus precision/recall per mode, extraction µs/KiB, the 128 KiB text";

    [GeneratedRegex(@"[-+]?\d+(?:[.,]\d+)*%?", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRuns();

    public Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        var figures = new List<Figure>();
        var dir = CorpusCase.FindDirectory();
        var parts = new[] { "tuning", "holdout" }.Select(p => (Part: p, Cases: CorpusCase.Load(dir, p))).ToList();
        foreach (var (part, cases) in parts)
        {
            var s = cases.Select(c => CorpusScorer.Score(c)).Aggregate(CorpusScore.Zero, (a, b) => a + b);
            var size = $"{part}: {s.Cases} cases, {s.Samples} samples";
            figures.Add(new Figure($"named precision, {size}", s.NamedPrecision, $"({s.NamedRight}/{s.NamedWritten} values written)"));
            figures.Add(new Figure($"named recall, {size}", s.NamedRecall, $"({s.NamedRight}/{s.NamedLabelled} labelled values)"));
            figures.Add(new Figure($"automatic cells covered, {size}", s.CellCoverage, $"({s.CellsCovered}/{s.Cells} labelled cells)"));
            figures.Add(new Figure($"automatic precision, {size}", s.AutoPrecision, $"({s.AutoRight}/{s.AutoWritten} values on labelled rows)"));
        }

        // Cost over every sample of the corpus, each model holding its case's names and automatic datapoints.
        var all = parts.SelectMany(p => p.Cases).ToList();
        var texts = all.SelectMany(c => c.Samples).ToList();
        var kib = texts.Sum(t => t.Length) / 1024.0;
        var models = all.Select(Prepared).ToList();
        var rounds = quick ? 20 : 100;
        var regex = MedianMs(rounds, () => texts.Sum(t => DigitRuns().Count(t)));
        var find = MedianMs(rounds, () => texts.Sum(t => NumberFinder.Find(t).Count));
        var extract = MedianMs(rounds, () => models.Sum(m => m.Case.Samples.Sum(t => m.Model.Extract(t, Supplies.All).Count)));
        var corpus = $"corpus, {texts.Count} texts, {kib:0} KiB";
        figures.Add(new Figure($"Find, {corpus}", find * 1000 / kib, "µs/KiB", "regex digit runs", regex * 1000 / kib));
        figures.Add(new Figure($"Extract (names + automatic), {corpus}", extract * 1000 / kib, "µs/KiB", "Find", find * 1000 / kib));

        // The bound: 128 KiB holding 20,000 numbers, as plain lines and as a labelled table.
        var plain = BoundTexts.Plain();
        var table = BoundTexts.Table();
        var plainModel = new DatasourceModel();
        plainModel.Name(plain, 1, "first");
        var tableModel = new DatasourceModel();
        tableModel.Name(table, 20_000, "last");
        tableModel.Extract(table, Supplies.All);
        var boundRounds = quick ? 5 : 20;
        var plainRegex = MedianMs(boundRounds, () => DigitRuns().Count(plain));
        figures.Add(new Figure("Find, 128 KiB text of 20,000 numbers", MedianMs(boundRounds, () => NumberFinder.Find(plain).Count), "ms", "regex digit runs", plainRegex));
        figures.Add(new Figure("Extract, that text, 1 name", MedianMs(boundRounds, () => plainModel.Extract(plain, Supplies.All).Count), "ms", "regex digit runs", plainRegex));
        figures.Add(new Figure("Extract, 128 KiB table of 20,000 numbers, 1 name + 200 automatic", MedianMs(boundRounds, () => tableModel.Extract(table, Supplies.All).Count), "ms", "regex digit runs", MedianMs(boundRounds, () => DigitRuns().Count(table))));
        return Task.FromResult<IReadOnlyList<Figure>>(figures);
    }

    /// <summary>A case's model as a user leaves it after sample 1: its values named, its automatic datapoints created.</summary>
    static (CorpusCase Case, DatasourceModel Model) Prepared(CorpusCase c)
    {
        var model = CorpusScorer.NamedOnFirstSample(c);
        model.Extract(c.Samples[0], Supplies.All);
        return (c, model);
    }

    /// <summary>Median wall time of one run of <paramref name="work"/> over <paramref name="rounds"/> runs after two warm-ups, ms.</summary>
    static double MedianMs(int rounds, Func<int> work)
    {
        var sink = work() + work();
        var times = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            sink += work();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        GC.KeepAlive(sink);
        return Measure.Median(times);
    }
}
