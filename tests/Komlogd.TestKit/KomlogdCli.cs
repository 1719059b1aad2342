using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Komlogd.TestKit;

/// <summary>The output of one komlogd run.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stderr's lines, without the trailing empty one.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the real <c>komlogd</c> (this build's komlogd.dll, or an installed tool's command) in a config dir of
/// the test's own, with HOME pointed at the test's temp dir so nothing touches the real ~/.komlogd.
/// </summary>
/// <param name="home">HOME and the working directory.</param>
/// <param name="executable">An installed komlogd to run instead of <c>dotnet komlogd.dll</c> of this build.</param>
public sealed class KomlogdCli(string home, string? executable = null)
{
    public string Home { get; } = home;

    /// <summary>The program and first arguments that run komlogd.</summary>
    public static IReadOnlyList<string> Command(string? executable) => executable is null ? ["dotnet", Repo.KomlogdDll] : [executable];
    public string ConfigDir => Path.Combine(Home, ".komlogd");
    public string ConfigFile => Path.Combine(ConfigDir, "komlogd.yaml");

    /// <summary>Makes a ready config dir (test keys, this configuration) and returns the config file.</summary>
    public string WriteConfig(string yaml)
    {
        Directory.CreateDirectory(ConfigDir);
        if (!File.Exists(Path.Combine(ConfigDir, "key.priv")))
        {
            TestKeys.CopyTo(ConfigDir);
        }
        File.WriteAllText(ConfigFile, yaml);
        return ConfigFile;
    }

    public async Task<CliResult> RunAsync(string[] args, string? stdin = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string?>? env = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        var start = Command(executable);
        var command = CliWrap.Cli.Wrap(start[0])
            .WithArguments([.. start.Skip(1), .. args])
            .WithWorkingDirectory(Home)
            .WithEnvironmentVariables(e =>
            {
                e.Set("HOME", Home);
                if (env is not null)
                {
                    e.Set(env);
                }
            })
            .WithValidation(CommandResultValidation.None);
        if (stdin is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin, new UTF8Encoding(false)));
        }
        var result = await command.ExecuteBufferedAsync(Encoding.UTF8, cts.Token).ConfigureAwait(false);
        return new CliResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);
}
