namespace Komlogd.Bench;

/// <summary>Every benchmark of the runner, by name.</summary>
public static class Benchmarks
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new InstallBench(),
    ];
}
