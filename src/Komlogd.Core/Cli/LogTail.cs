using Komlogd.Core.Logging;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>komlogd logs [VENV] [-f]</c>: the log file, or the lines of one venv (found by the "[venv] " its
/// messages start with, whatever <c>logging.format</c> is: <see cref="LogLines"/>).
/// </summary>
internal static class LogTail
{
    public static async Task RunAsync(string logFile, LogLines lines, string? venv, bool follow, CancellationToken ct)
    {
        if (!File.Exists(logFile))
        {
            throw new KomlogdException($"{logFile}: no log yet; the agent writes it once it runs");
        }
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (!ct.IsCancellationRequested)
        {
            var line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            if (line is null)
            {
                if (!follow)
                {
                    return;
                }
                try
                {
                    await Task.Delay(200, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            if (venv is null || lines.VenvMessage(line, venv) is not null)
            {
                await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
    }
}
