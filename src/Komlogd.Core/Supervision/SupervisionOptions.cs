namespace Komlogd.Core.Supervision;

/// <summary>How children are supervised. Defaults follow supervisord and the original komlogd.</summary>
public sealed record SupervisionOptions
{
    /// <summary>Time a child has to answer <c>initialize</c> (load every package) before it is killed.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often a running child is pinged. Each ping wakes the child's reader thread, about 0.7 ms of CPU here
    /// for a child otherwise idle between once-a-minute collections: at 5 s the pings alone cost more than a
    /// node-exporter scrape. At 30 s (Docker's default health-check interval) a hung child is killed within
    /// 40 s (docs/protocol.md, "Supervision").
    /// </summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A ping not answered in this time means the child is hung: it is killed and restarted.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Shutdown request, then SIGTERM, then SIGKILL, all within this time (the original's 10 s).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A child that dies before it has run this long failed quickly (supervisord's startsecs).</summary>
    public TimeSpan QuickFailureWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After this many quick failures in a row the venv goes Fatal (supervisord's startretries).</summary>
    public int MaxQuickFailures { get; init; } = 5;

    /// <summary>The backoff between restarts.</summary>
    public Backoff Backoff { get; init; } = new();
}
