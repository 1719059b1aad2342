using System.Globalization;

namespace Komlogd.Identification.Corpus;

/// <summary>
/// Runs a corpus case through the engine as users would, once per mode. Named: a user names the labelled
/// values on sample 1 (supplies empty, so nothing automatic), then every later sample's extractions are
/// checked value by value. Automatic: a user who names nothing commits every sample with supplies absent,
/// and the automatic datapoints' values are checked against the labelled cells in every sample.
/// </summary>
public static class CorpusScorer
{
    /// <summary>The score of one case, and a line per wrong or missed value for diagnosis.</summary>
    public static CorpusScore Score(CorpusCase c, List<string>? notes = null)
    {
        var (written, right, labelled) = ScoreNamed(c, notes);
        var model = new DatasourceModel();
        var series = new Dictionary<string, (decimal Value, int Line)?[]>(StringComparer.Ordinal);
        for (var k = 0; k < c.Samples.Count; k++)
        {
            foreach (var e in model.Extract(c.Samples[k], Supplies.All))
            {
                if (!series.TryGetValue(e.Name, out var s))
                {
                    series[e.Name] = s = new (decimal, int)?[c.Samples.Count];
                }
                s[k] = e.Status == ExtractionStatus.Found ? (e.Value!.Value, LineOf(c.Samples[k], e.Position)) : null;
            }
        }
        var (cells, covered, autoWritten, autoRight) = ScoreAutomatic(c, series, notes);
        return new CorpusScore(1, c.Samples.Count, written, right, labelled, cells, covered, autoWritten, autoRight);
    }

    static (int Written, int Right, int Labelled) ScoreNamed(CorpusCase c, List<string>? notes)
    {
        var model = NamedOnFirstSample(c, notes);
        int written = 0, right = 0, labelled = 0;
        for (var k = 1; k < c.Samples.Count; k++)
        {
            var byName = model.Extract(c.Samples[k], Supplies.None).ToDictionary(e => e.Name, StringComparer.Ordinal);
            foreach (var label in c.Named)
            {
                var expected = Parse(label.Values[k]);
                labelled += expected is null ? 0 : 1;
                if (!byName.TryGetValue(label.Name, out var e) || e.Status != ExtractionStatus.Found)
                {
                    if (expected is not null)
                    {
                        notes?.Add($"{c.Part}/{c.Name} sample {k + 1}: {label.Name} {e?.Status.ToString() ?? "not named"}, expected {expected}");
                    }
                    continue;
                }
                written++;
                if (e.Value == expected)
                {
                    right++;
                }
                else
                {
                    notes?.Add($"{c.Part}/{c.Name} sample {k + 1}: {label.Name} wrote {e.Value}, expected {expected?.ToString(CultureInfo.InvariantCulture) ?? "missing"}");
                }
            }
        }
        return (written, right, labelled);
    }

    /// <summary>A model in which a user named the case's labelled values on sample 1.</summary>
    public static DatasourceModel NamedOnFirstSample(CorpusCase c, List<string>? notes = null)
    {
        var model = new DatasourceModel();
        foreach (var label in c.Named)
        {
            NameOnFirstSample(model, c.Samples[0], label, notes);
        }
        return model;
    }

    static void NameOnFirstSample(DatasourceModel model, string text, CorpusCase.NamedLabel label, List<string>? notes)
    {
        var value = Parse(label.Values[0]);
        var numbers = NumberFinder.Find(text);
        for (var i = 0; i < numbers.Count; i++)
        {
            if (LineOf(text, numbers[i].Position) == label.Line && ColumnOf(text, numbers[i].Position) == label.Column && numbers[i].Value == value)
            {
                model.Name(text, i + 1, label.Name);
                return;
            }
        }
        notes?.Add($"{label.Name}: no number {label.Value} found on line {label.Line} of sample 1");
    }

    /// <summary>
    /// Coverage: a cell is covered by an automatic datapoint whose value is the cell's in every sample (and
    /// nothing where the cell is absent). Precision: every value an automatic datapoint wrote on a labelled
    /// row's line; it is right when it is the value of the cell the datapoint follows (the cell it matches
    /// in most samples) on that line.
    /// </summary>
    static (int Cells, int Covered, int Written, int Right) ScoreAutomatic(CorpusCase c, Dictionary<string, (decimal Value, int Line)?[]> series, List<string>? notes)
    {
        var expected = c.Cells.Select(cell => cell.Values.Select((v, k) => Parse(v) is { } d ? ((decimal, int)?)(d, cell.Lines[k]!.Value) : null).ToArray()).ToList();
        var covered = 0;
        for (var i = 0; i < c.Cells.Count; i++)
        {
            if (series.Values.Any(s => s.SequenceEqual(expected[i])))
            {
                covered++;
            }
            else
            {
                notes?.Add($"{c.Part}/{c.Name}: cell {c.Cells[i].Row} / {c.Cells[i].Column} has no automatic datapoint");
            }
        }
        var labelledLines = Enumerable.Range(0, c.Samples.Count).Select(k => c.Cells.Select(cell => cell.Lines[k]).OfType<int>().ToHashSet()).ToList();
        int written = 0, right = 0;
        foreach (var (name, s) in series)
        {
            var follows = -1;
            var best = 0;
            for (var i = 0; i < expected.Count; i++)
            {
                var matches = s.Zip(expected[i]).Count(p => p.First is not null && p.First == p.Second);
                if (matches > best)
                {
                    best = matches;
                    follows = i;
                }
            }
            for (var k = 0; k < s.Length; k++)
            {
                if (s[k] is not { } v || !labelledLines[k].Contains(v.Line))
                {
                    continue;
                }
                written++;
                if (follows >= 0 && expected[follows][k] == v)
                {
                    right++;
                }
                else
                {
                    notes?.Add($"{c.Part}/{c.Name} sample {k + 1}: automatic {name} wrote {v.Value} on line {v.Line}");
                }
            }
        }
        return (c.Cells.Count, covered, written, right);
    }

    static decimal? Parse(string? value) => value is null ? null : decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    static int ColumnOf(string text, int position) => position - (text.LastIndexOf('\n', Math.Max(0, position - 1)) + 1);

    /// <summary>1-based line of a position, counting '\n' (the labels' lines; CRLF ends count once).</summary>
    static int LineOf(string text, int position)
    {
        var line = 1;
        for (var i = 0; i < position; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }
        return line;
    }
}
