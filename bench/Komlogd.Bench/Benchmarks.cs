namespace Komlogd.Bench;

/// <summary>Every benchmark of the runner, by name.</summary>
public static class Benchmarks
{
    /// <summary>--quick: fewer repetitions and smaller loads, the whole run within about two minutes.</summary>
    public static bool Quick { get; set; }

    public static IReadOnlyList<IBenchmark> All =>
    [
        new HostBench(Quick),
        new StoreBench(Quick),
        new InstallBench(),
        new KpackBench(),
        new PeerBench(Quick),
        new PeerBench.AgentsOnly(),
        new BootBench(Quick),
        new IdentifyBench(Quick),
        new IdentifyUriBench(Quick),
        new CommandsBench(Quick),
        new ExportBench(Quick),
    ];
}
