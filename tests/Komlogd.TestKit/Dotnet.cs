using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Komlogd.TestKit;

/// <summary>Runs the dotnet CLI (pack, tool install, new, test) as a test's step: a failure fails the test with the whole output.</summary>
public static class Dotnet
{
    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="workingDir"/> with these variables (null removes one); throws with its output unless it exits 0.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> args, string workingDir, IReadOnlyDictionary<string, string?>? env = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(10));
        var result = await Cli.Wrap("dotnet")
            .WithArguments(args)
            .WithWorkingDirectory(workingDir)
            .WithEnvironmentVariables(e =>
            {
                // No MSBuild node may outlive the step (and hold files of a temp dir being removed).
                e.Set("MSBUILDDISABLENODEREUSE", "1").Set("DOTNET_CLI_TELEMETRY_OPTOUT", "1").Set("DOTNET_NOLOGO", "1");
                if (env is not null)
                {
                    e.Set(env);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cts.Token)
            .ConfigureAwait(false);
        var output = new CliResult(result.ExitCode, result.StandardOutput, result.StandardError);
        return result.ExitCode == 0 ? output : throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed:\n{output}");
    }
}
