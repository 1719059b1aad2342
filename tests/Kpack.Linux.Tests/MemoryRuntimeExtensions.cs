namespace Kpack.Linux.Tests;

internal static class MemoryRuntimeExtensions
{
    /// <summary>The latest value inserted at <paramref name="uri"/>, or null.</summary>
    public static object? Value(this MemoryRuntime runtime, string uri) =>
        runtime.Samples.LastOrDefault(s => s.Metric.Uri == uri)?.Value;
}
