using System.Diagnostics;
using System.Text.RegularExpressions;
using CliWrap;
using Serilog;

namespace Komlogd.Core.Installation;

/// <summary>
/// Runs <c>dotnet</c> and <c>git</c> through CliWrap (an argument list, never a shell). Every line of output
/// goes to the log at Debug; a failure logs the output's tail at Error and becomes one
/// <see cref="InstallException"/> line naming the tool's first error.
/// </summary>
internal sealed partial class ToolRunner(ILogger log, IReadOnlyDictionary<string, string?> environment)
{
    /// <summary>No tool may hang an install for ever (a git prompt, a stuck restore).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private const int TailLines = 80;

    /// <summary>Runs the tool; returns its stdout when it exits 0.</summary>
    public async Task<string> RunAsync(string tool, IReadOnlyList<string> args, string workingDir, string what, bool mayFail, CancellationToken ct)
    {
        var lines = new List<string>();
        var stdout = new System.Text.StringBuilder();
        void Line(string line, bool isStdout)
        {
            lock (lines)
            {
                lines.Add(line);
                if (isStdout)
                {
                    stdout.AppendLine(line);
                }
            }
            log.Debug("{Tool}: {Line}", tool, line);
        }
        // "Running dotnet|git …" is the line tests and users look for to know a tool ran at all.
        log.Information("Running {Tool} {Arguments} in {Dir}", tool, string.Join(' ', args), workingDir);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var watch = Stopwatch.StartNew();
        CommandResult result;
        try
        {
            result = await CliWrap.Cli.Wrap(tool)
                .WithArguments(args)
                .WithWorkingDirectory(workingDir)
                .WithEnvironmentVariables(environment)
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(l => Line(l, true)))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(l => Line(l, false)))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(timeout.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InstallException($"{what}: {tool} did not finish in {Timeout.TotalMinutes:0} minutes");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InstallException($"{what}: cannot run {tool}: {e.Message}", e);
        }
        log.Information("{Tool} exited {ExitCode} after {Seconds:0.0} s", tool, result.ExitCode, watch.Elapsed.TotalSeconds);
        if (result.ExitCode != 0)
        {
            if (mayFail)
            {
                throw new InstallException($"{what}: {tool} exited {result.ExitCode}");
            }
            string[] output;
            lock (lines)
            {
                output = lines.ToArray();
            }
            var tail = output.TakeLast(TailLines);
            log.Error("{What} failed ({Tool} exit {ExitCode}); its last output:{NewLine}{Output}",
                what, tool, result.ExitCode, Environment.NewLine, string.Join(Environment.NewLine, tail));
            throw new InstallException($"{what} failed: {FirstError(output, workingDir) ?? $"{tool} exited {result.ExitCode}"}");
        }
        lock (lines)
        {
            return stdout.ToString();
        }
    }

    /// <summary>
    /// The first "error XX1234: …" of MSBuild/NuGet, or git's "fatal: …", without the trailing
    /// "[project]" and with paths made relative to the working dir.
    /// </summary>
    internal static string? FirstError(IEnumerable<string> lines, string workingDir)
    {
        // ssh's own reason beats git's "fatal: Could not read from remote repository."
        if (lines.FirstOrDefault(l => SshFailureRegex().IsMatch(l)) is { } ssh)
        {
            return ssh.StartsWith("ssh: ", StringComparison.Ordinal) ? ssh.Trim() : "ssh: " + ssh.Trim();
        }
        foreach (var line in lines)
        {
            var m = MsBuildErrorRegex().Match(line);
            if (m.Success)
            {
                var where = m.Groups["where"].Value.Trim();
                var file = where.Split('(')[0];
                // Every restore error is reported on the generated project; naming it says nothing.
                where = file.Length == 0 || file.EndsWith(VenvFiles.ProjectName + ".csproj", StringComparison.Ordinal)
                    ? ""
                    : Path.GetRelativePath(workingDir, file) + where[file.Length..] + ": ";
                return $"{where}{m.Groups["code"].Value}: {m.Groups["msg"].Value.Trim()}";
            }
            if (line.StartsWith("fatal: ", StringComparison.Ordinal) || line.StartsWith("error: ", StringComparison.Ordinal))
            {
                return line.Trim();
            }
        }
        return null;
    }

    [GeneratedRegex(@"^(Host key verification failed\.|.*: Permission denied \(.*\)\.|ssh: .*)\s*$")]
    private static partial Regex SshFailureRegex();

    [GeneratedRegex(@"^(?<where>[^:]*?)\s*:?\s*error (?<code>[A-Z]+[0-9]+)\s*:\s*(?<msg>.*?)(\s+\[[^\]]*\])?$")]
    private static partial Regex MsBuildErrorRegex();
}
