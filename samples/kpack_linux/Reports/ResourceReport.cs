namespace Kpack.Linux.Reports;

/// <summary>What one collection found on one host, whichever source it came from.</summary>
/// <param name="Source">"sar" or "proc".</param>
/// <param name="Header">sar's first line (<c>Linux 6.1.0 (host) 11/25/26 _x86_64_ (2 CPU)</c>), or null.</param>
/// <param name="CpuCount">The number of CPUs, from the header or /proc/stat, or null.</param>
/// <param name="Tables">The sections found; a section sar did not print is absent.</param>
internal sealed record ResourceReport(string Source, string? Header, int? CpuCount, IReadOnlyList<SarTable> Tables)
{
    /// <summary>The section of <paramref name="kind"/>, or null when the report has none.</summary>
    public SarTable? this[SarTableKind kind] => Tables.FirstOrDefault(t => t.Kind == kind);
}
