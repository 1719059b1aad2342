namespace Komlogd.Identification.Corpus;

/// <summary>
/// Counts of one scoring run. Named: values written and right in the later samples, and labelled values
/// there. Automatic: labelled cells and those covered (an automatic datapoint equal to the cell in every
/// sample), values automatic datapoints wrote on labelled rows and those right.
/// </summary>
public sealed record CorpusScore(int Cases, int Samples, int NamedWritten, int NamedRight, int NamedLabelled, int Cells, int CellsCovered, int AutoWritten, int AutoRight)
{
    public static CorpusScore Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Right values / values written (1 when nothing was written).</summary>
    public double NamedPrecision => NamedWritten == 0 ? 1 : (double)NamedRight / NamedWritten;

    /// <summary>Right values / labelled values.</summary>
    public double NamedRecall => NamedLabelled == 0 ? 1 : (double)NamedRight / NamedLabelled;

    /// <summary>Labelled cells with an automatic datapoint equal to them in every sample / labelled cells.</summary>
    public double CellCoverage => Cells == 0 ? 1 : (double)CellsCovered / Cells;

    /// <summary>Right values / values automatic datapoints wrote on labelled rows.</summary>
    public double AutoPrecision => AutoWritten == 0 ? 1 : (double)AutoRight / AutoWritten;

    public static CorpusScore operator +(CorpusScore a, CorpusScore b) => new(
        a.Cases + b.Cases, a.Samples + b.Samples, a.NamedWritten + b.NamedWritten, a.NamedRight + b.NamedRight,
        a.NamedLabelled + b.NamedLabelled, a.Cells + b.Cells, a.CellsCovered + b.CellsCovered, a.AutoWritten + b.AutoWritten, a.AutoRight + b.AutoRight);

    public override string ToString() =>
        $"{Cases} cases, {Samples} samples: named precision {NamedPrecision:0.000} ({NamedRight}/{NamedWritten}) recall {NamedRecall:0.000} ({NamedRight}/{NamedLabelled}); "
        + $"automatic cells {CellCoverage:0.000} ({CellsCovered}/{Cells}) precision {AutoPrecision:0.000} ({AutoRight}/{AutoWritten})";
}
