namespace Komlogd.Bench;

/// <summary>A named benchmark of the runner; add new ones to <see cref="Benchmarks.All"/>.</summary>
public interface IBenchmark
{
    /// <summary>The name given on the command line (<c>bench/run install</c>).</summary>
    string Name { get; }

    string Description { get; }

    Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct);
}
