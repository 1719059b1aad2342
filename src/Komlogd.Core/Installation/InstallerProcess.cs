using System.Runtime.InteropServices;
using Komlogd.Protocol.Json;
using System.Text.Json.Serialization;
using Komlogd.Core.Configuration;
using Komlogd.Core.Supervision;
using Serilog;

namespace Komlogd.Core.Installation;

/// <summary>
/// The agent's installs, in a process of their own: <c>komlogd -c FILE install --for-agent</c>. An install
/// loads NuGet's configuration, XML, SHA-256 through OpenSSL and the compiler's memory for all of that; in
/// the agent they stayed mapped until it stopped (about 13 MiB of PSS, docs/benchmarks.md), in a child
/// they end with it. The child runs the same <see cref="VenvInstaller"/> and says what it does as JSON
/// lines on stdout: each progress line, then each venv's result. A stop (the agent's token) sends it
/// SIGTERM, on which it cancels its tools as the agent did; SIGKILL to what is left of it after
/// <see cref="StopTimeout"/>. Protocol: docs/installation.md, "The agent's installs".
/// </summary>
internal static class InstallerProcess
{
    /// <summary>The install command's option that selects this protocol; not in its help.</summary>
    public const string ForAgentOption = "--for-agent";

    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Installs what the configuration file asks for in a child komlogd; its progress lines go to
    /// <paramref name="progress"/> as they come.
    /// </summary>
    /// <exception cref="KomlogdException">The child refused (another installer holds the lock, the file
    /// cannot be read): its one line.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; the child has ended.</exception>
    public static async Task<IReadOnlyList<VenvInstallResult>> RunAsync(string configFile, IProgress<string>? progress, ILogger log, CancellationToken ct)
    {
        var psi = ChildPipes.Komlogd(["-c", configFile, "install", ForAgentOption]);
        var process = ChildProcess.Start(psi, "the installer");
        log.Debug("Installer {Pid} started: {Command}", process.Id, string.Join(' ', psi.ArgumentList.Prepend(psi.FileName)));
        // Both pipes read by blocking calls on threads of their own, as plain file streams (ChildPipes). Each
        // reader belongs to its thread; this method disposes only the streams under them.
        using var stdoutPipe = process.StandardOutput;
        using var stderrPipe = process.StandardError;
        var stderr = ChildPipes.ReadToEnd(stderrPipe);
        List<VenvInstallResult> results;
        await using (ct.Register(() => _ = StopAsync(process, log)))
        {
            results = await ChildPipes.Blocking(() =>
            {
                var found = new List<VenvInstallResult>();
                using var stdout = new StreamReader(stdoutPipe);
                while (stdout.ReadLine() is { } line)
                {
                    switch (Parse(line))
                    {
                        case { Result: { } r }:
                            found.Add(new VenvInstallResult(r.Name, r.Directory, r.Outcome, r.Error,
                                VenvManifest.TryRead(r.Directory)?.Packages ?? [], TimeSpan.FromMilliseconds(r.ElapsedMs)));
                            break;
                        case { Progress: { } p }:
                            progress?.Report(p);
                            break;
                        default:
                            // Not ours (a runtime's message): kept, not lost.
                            log.Information("Installer: {Line}", line);
                            break;
                    }
                }
                return found;
            }).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        KillLeftovers(process.Id, log);
        ct.ThrowIfCancellationRequested();
        var error = (await stderr.ConfigureAwait(false)).Trim();
        var exitCode = await process.Exited.ConfigureAwait(false);
        if (exitCode != ExitCodes.Ok)
        {
            // A signal's 128 + N is not passed on: the agent's own exit code would say the agent was killed.
            throw new KomlogdException(error.Length > 0 ? error.ReplaceLineEndings(" ") : Ended(exitCode),
                exitCode > 128 ? ExitCodes.Failure : exitCode);
        }
        if (error.Length > 0)
        {
            log.Warning("Installer: {Stderr}", error.ReplaceLineEndings(" "));
        }
        return results;
    }

    /// <summary>
    /// The installer leads a process group of its own (<see cref="ServeAsync"/>), which its tools join and stay
    /// in when it dies: a killed installer's <c>dotnet publish</c>, reparented to init, would otherwise run on
    /// writing into a temp dir nobody reads. Empty after a clean end (ESRCH, nothing said).
    /// </summary>
    private static void KillLeftovers(int group, ILogger log)
    {
        if (Signals.Send(-group, Signals.SIGKILL) == 0)
        {
            log.Warning("Installer {Pid} ended and left processes running; SIGKILL to them", group);
        }
    }

    /// <summary>
    /// Why a child that said nothing on stderr ended: .NET reports a signal's death as 128 + its number,
    /// and the likely one, SIGKILL, is the kernel's OOM killer or a person.
    /// </summary>
    internal static string Ended(int exitCode) => exitCode switch
    {
        137 => "the installer was killed (SIGKILL: the kernel's out-of-memory killer, or a person); nothing it had not finished was kept",
        > 128 and < 128 + 65 => $"the installer was killed by signal {exitCode - 128}; nothing it had not finished was kept",
        _ => $"the installer ended with code {exitCode}",
    };

    /// <summary>
    /// The child's side: installs as <c>komlogd install</c> does, SIGTERM (the agent's stop) or SIGINT (a
    /// Ctrl-C where it was run by hand) cancelling it, and writes the lines
    /// <see cref="RunAsync"/> reads.
    /// </summary>
    public static async Task<int> ServeAsync(KomlogdConfig config, ILogger log, CancellationToken ct)
    {
        // Its tools join its group, for the agent to kill should it die (KillLeftovers). Out of the terminal's
        // foreground group too: a Ctrl-C reaches the agent, whose stop sends this process SIGTERM.
        Signals.LeadGroup();
        using var stop = new SignalStop(ct, PosixSignal.SIGTERM, PosixSignal.SIGINT);
        var output = Console.Out;
        var lines = new Progress(output);
        try
        {
            foreach (var r in await new VenvInstaller(log).InstallAsync(config, null, lines, stop.Token).ConfigureAwait(false))
            {
                lines.Write(new InstallerLine(null, new InstallerResult(r.Name, r.Directory, r.Outcome, r.Error, r.Elapsed.TotalMilliseconds)));
            }
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            log.Information("Install cancelled by a stop request");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// One of the child's lines, read by hand as <see cref="InstallerJson"/> wrote it (camelCase, the outcome by
    /// name, nulls left out): the agent keeps no serializer metadata for it (docs/benchmarks.md). Null for a
    /// line that is not the child's.
    /// </summary>
    internal static InstallerLine? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }
        try
        {
            var root = JsonValue.Parse(line);
            if (root.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonKind.String)
            {
                return new InstallerLine(progress.GetString(), null);
            }
            if (!root.TryGetProperty("result", out var r) || r.ValueKind != JsonKind.Object)
            {
                return null;
            }
            return new InstallerLine(null, new InstallerResult(
                r.GetProperty("name").GetString()!, r.GetProperty("directory").GetString()!,
                Enum.Parse<VenvInstallOutcome>(r.GetProperty("outcome").GetString()!),
                r.TryGetProperty("error", out var error) ? error.GetString() : null,
                r.GetProperty("elapsedMs").GetDouble()));
        }
        catch (Exception e) when (e is JsonFormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }

    private static async Task StopAsync(ChildProcess process, ILogger log)
    {
        try
        {
            log.Information("Stopping the installer {Pid}", process.Id);
            _ = Signals.Send(process.Id, Signals.SIGTERM);
            using var timeout = new CancellationTokenSource(StopTimeout);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            log.Warning("Installer {Pid} still running {Seconds} s after SIGTERM; SIGKILL to it and its processes", process.Id, StopTimeout.TotalSeconds);
            if (!process.HasExited)
            {
                Signals.KillTree(process.Id);
            }
        }
    }

    /// <summary>Each report as one JSON line; whole lines even when two venvs' tools report at once.</summary>
    private sealed class Progress(TextWriter output) : IProgress<string>
    {
        public void Report(string value) => Write(new InstallerLine(value, null));

        public void Write(InstallerLine line)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(line, InstallerJson.Default.InstallerLine);
            lock (output)
            {
                output.WriteLine(json);
                output.Flush();
            }
        }
    }
}

/// <summary>One line of the installer child's stdout: a progress line or a venv's result.</summary>
internal sealed record InstallerLine(string? Progress, InstallerResult? Result);

/// <summary>A venv's <see cref="VenvInstallResult"/> on the wire (its packages are in its manifest).</summary>
internal sealed record InstallerResult(string Name, string Directory, VenvInstallOutcome Outcome, string? Error, double ElapsedMs);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InstallerLine))]
internal sealed partial class InstallerJson : JsonSerializerContext;
