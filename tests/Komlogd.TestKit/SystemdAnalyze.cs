using CliWrap;
using CliWrap.Buffered;

namespace Komlogd.TestKit;

/// <summary>systemd-analyze verify on a unit file: what systemd itself says of it (systemd need not run here).</summary>
public static class SystemdAnalyze
{
    /// <summary>
    /// Its complaints: "" when none. It exits 0 on some (a value it ignores), so both the exit code and the
    /// output count. A user unit is checked as a user manager would, which needs a runtime dir.
    /// </summary>
    public static async Task<string> VerifyAsync(string unitFile, bool user, string runtimeDir)
    {
        Directory.CreateDirectory(runtimeDir);
        File.SetUnixFileMode(runtimeDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var result = await Cli.Wrap("systemd-analyze").WithArguments([.. user ? ["--user"] : Array.Empty<string>(), "verify", unitFile])
            .WithEnvironmentVariables(e => e.Set("XDG_RUNTIME_DIR", runtimeDir))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().ConfigureAwait(false);
        var said = result.StandardOutput + result.StandardError;
        return result.ExitCode == 0 ? said : $"exit {result.ExitCode}: {said}";
    }
}
