using System.Text.Json;

namespace Komlogd.Identification.Corpus;

/// <summary>One case of the corpus: a series of samples of one command and their labels (see corpus/README.md).</summary>
public sealed class CorpusCase
{
    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    CorpusCase(string name, string part, IReadOnlyList<string> samples, Labels labels)
    {
        Name = name;
        Part = part;
        Samples = samples;
        Named = labels.Named;
        Cells = labels.Cells;
    }

    /// <summary>The case's directory name (df, free, ...).</summary>
    public string Name { get; }

    /// <summary>tuning or holdout.</summary>
    public string Part { get; }

    /// <summary>The texts, sample 1 first.</summary>
    public IReadOnlyList<string> Samples { get; }

    public IReadOnlyList<NamedLabel> Named { get; }

    public IReadOnlyList<CellLabel> Cells { get; }

    /// <summary>A value the user names in sample 1 (the number written <see cref="Value"/> at 0-based <see cref="Column"/> of 1-based <see cref="Line"/>) and its value in each sample (null: missing).</summary>
    public sealed record NamedLabel(string Name, int Line, int Column, string Value, IReadOnlyList<string?> Values);

    /// <summary>A table cell expected as an automatic datapoint: its row's line and its value in each sample (null: absent).</summary>
    public sealed record CellLabel(string Row, string Column, IReadOnlyList<int?> Lines, IReadOnlyList<string?> Values);

    sealed record Labels(int Samples, IReadOnlyList<NamedLabel> Named, IReadOnlyList<CellLabel> Cells);

    /// <summary>Every case of one part (tuning, holdout) under the corpus directory, by name.</summary>
    public static IReadOnlyList<CorpusCase> Load(string corpusDirectory, string part)
    {
        var cases = new List<CorpusCase>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(corpusDirectory, part)).Order(StringComparer.Ordinal))
        {
            var labels = JsonSerializer.Deserialize<Labels>(File.ReadAllText(Path.Combine(dir, "labels.json")), Json)!;
            var samples = Enumerable.Range(1, labels.Samples).Select(i => File.ReadAllText(Path.Combine(dir, $"{i}.txt"))).ToList();
            cases.Add(new CorpusCase(Path.GetFileName(dir), part, samples, labels));
        }
        return cases;
    }

    /// <summary>The corpus directory: beside the test assembly, or found from the repository root (the bench).</summary>
    public static string FindDirectory()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "corpus");
        if (Directory.Exists(beside))
        {
            return beside;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Komlogd.Identification.Tests", "corpus");
            if (File.Exists(Path.Combine(dir.FullName, "Komlogd.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("the identification corpus (tests/Komlogd.Identification.Tests/corpus) was not found");
    }
}
