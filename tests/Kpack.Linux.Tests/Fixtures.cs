using Kpack.Linux.Proc;
using Kpack.Linux.Reports;

namespace Kpack.Linux.Tests;

/// <summary>The recorded and hand-written outputs under fixtures/ (see fixtures/README.md).</summary>
internal static class Fixtures
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Sar(string name) => File.ReadAllText(Path.Combine(Dir, "sar", name));

    public static ResourceReport ParseSar(string name) => SarParser.Parse(Sar(name));

    public static string Proc(string snapshot, string file) => File.ReadAllText(Path.Combine(Dir, "proc", snapshot, file));

    public static ProcCounters Counters(string snapshot, string when) => ProcCounters.Parse(
        Proc(snapshot, $"{when}/stat"), Proc(snapshot, $"{when}/vmstat"), Proc(snapshot, $"{when}/diskstats"), Proc(snapshot, $"{when}/net_dev"));
}
