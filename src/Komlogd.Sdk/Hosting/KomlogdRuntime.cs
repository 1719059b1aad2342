using System.ComponentModel;

namespace Komlogd.Sdk.Hosting;

/// <summary>
/// The ambient <see cref="IKomlogdRuntime"/> that metrics write to and read from.
/// </summary>
/// <remarks>
/// <para>
/// The plugin host sets <see cref="Current"/> once, before loading packages. Package authors do not touch
/// it. In a package's unit tests, attach a test double to the calling async flow with <see cref="Use"/>:
/// it overrides <see cref="Current"/> for that flow only, so tests running in parallel do not see each
/// other's runtime.
/// </para>
/// <para>
/// The host can use <see cref="Use"/> too: wrapping one transfer method run in
/// <c>using (KomlogdRuntime.Use(runBuffer))</c> sends the run's inserts to a buffer the host commits when
/// the run succeeds (tasks the run starts inherit it, as with any <see cref="AsyncLocal{T}"/>). Such a
/// buffer forwards <see cref="IKomlogdRuntime.GetAsync"/>, <see cref="IKomlogdRuntime.OnBound"/> and
/// <see cref="IKomlogdRuntime.OnUnbound"/> to the host's runtime: a run may read, and bind or unbind methods.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [Fact]
/// public async Task CollectInsertsTheLoad()
/// {
///     var runtime = new MemoryRuntime();               // Komlogd.Sdk.Testing
///     using var _ = KomlogdRuntime.Use(runtime);
///     await new MyPackage.Collector().CollectAsync();
///     Assert.Single(runtime.Samples);
/// }
/// </code>
/// </example>
public static class KomlogdRuntime
{
    private static readonly AsyncLocal<IKomlogdRuntime?> Scoped = new();
    private static volatile IKomlogdRuntime? global;

    /// <summary>
    /// The runtime of the calling flow: the innermost <see cref="Use"/>, else the process-wide one the
    /// plugin host set, else null. Setting it sets the process-wide runtime. <b>For the plugin host, not
    /// for package authors</b> (use <see cref="Use"/> in tests).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static IKomlogdRuntime? Current
    {
        get => Scoped.Value ?? global;
        set => global = value;
    }

    /// <summary>
    /// Makes <paramref name="runtime"/> the runtime of the calling async flow until the result is disposed,
    /// which restores the previous one. Dispose on the same flow (a <c>using</c> declaration does).
    /// </summary>
    /// <param name="runtime">The runtime, e.g. an in-memory test double.</param>
    /// <returns>A scope whose disposal restores the previous runtime of the flow.</returns>
    /// <example>
    /// <code>
    /// using var _ = KomlogdRuntime.Use(new MemoryRuntime());
    /// new Datapoint("a.b").Insert(DateTimeOffset.UtcNow, 1);
    /// </code>
    /// </example>
    public static IDisposable Use(IKomlogdRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var previous = Scoped.Value;
        Scoped.Value = runtime;
        return new Scope(previous);
    }

    internal static IKomlogdRuntime Required => Current ?? throw new InvalidOperationException(
        "No komlogd runtime is attached: metrics can be read and written inside the komlogd plugin host. " +
        "In a unit test, attach the in-memory one: using var _ = KomlogdRuntime.Use(new Komlogd.Sdk.Testing.MemoryRuntime());");

    private sealed class Scope(IKomlogdRuntime? previous) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Scoped.Value = previous;
            }
        }
    }
}
