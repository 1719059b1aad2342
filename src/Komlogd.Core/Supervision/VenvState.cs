namespace Komlogd.Core.Supervision;

/// <summary>A venv's child, as supervisord names its process states. Only <see cref="VenvSupervisor"/> changes it.</summary>
public enum VenvState
{
    /// <summary>Not running, by command or because the agent stops.</summary>
    Stopped,

    /// <summary>A child was spawned and is loading its packages.</summary>
    Starting,

    /// <summary>The child answered <c>initialize</c>: every package loaded.</summary>
    Running,

    /// <summary>The child failed; waiting before the next start.</summary>
    Backoff,

    /// <summary>Being stopped: shutdown request, SIGTERM, SIGKILL.</summary>
    Stopping,

    /// <summary>Too many quick failures in a row; stays so until started by command or a config change.</summary>
    Fatal,
}

/// <summary>A snapshot of one venv's supervision, for status and tests.</summary>
/// <param name="Venv">The venv's name.</param>
/// <param name="State">Its state.</param>
/// <param name="Pid">The child's pid while there is one.</param>
/// <param name="Restarts">Children started after the first one.</param>
/// <param name="QuickFailures">Quick failures in a row (reset by a child that ran long enough).</param>
/// <param name="Since">When it entered <paramref name="State"/>.</param>
/// <param name="LastError">Why the last child ended, one line; null when none failed.</param>
/// <param name="Packages">What the running child loaded.</param>
public sealed record VenvStatus(
    string Venv,
    VenvState State,
    int? Pid,
    int Restarts,
    int QuickFailures,
    DateTimeOffset Since,
    string? LastError,
    IReadOnlyList<PackageLoad> Packages);
