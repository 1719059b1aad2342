using System.Runtime;
using Komlogd.Protocol;

namespace Komlogd.PluginHost;

/// <summary>
/// The host's start-up JIT profile (multicore JIT): the methods compiled during one start are recorded in a
/// file the agent names per venv (<see cref="Handshake.JitProfileName"/>); the next start compiles them on a
/// second core while the first one starts the channel. Measured: 165–170 → 124–129 ms to the first
/// answer (docs/benchmarks.md). Without the variable, or with a file it cannot use, the host starts as
/// before: the profile is an optimisation, never a condition.
/// </summary>
internal static class StartupProfile
{
    public static void Start()
    {
        if (Environment.GetEnvironmentVariable(Handshake.JitProfileName) is not { Length: > 0 } file
            || Path.GetDirectoryName(file) is not { Length: > 0 } dir)
        {
            return;
        }
        ProfileOptimization.SetProfileRoot(dir);
        ProfileOptimization.StartProfile(Path.GetFileName(file));
    }

    /// <summary>
    /// Stops recording and writes the file now, once the packages are loaded: the start is over, and a host
    /// that is later killed (a crash, SIGKILL, a hung child) never reaches the write at exit.
    /// </summary>
    public static void Save() => ProfileOptimization.StartProfile(null);
}
