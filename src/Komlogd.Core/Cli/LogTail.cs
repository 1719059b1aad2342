namespace Komlogd.Core.Cli;

/// <summary><c>komlogd logs [VENV] [-f]</c>: the log file, filtered by the "[venv] " tag each venv's lines carry.</summary>
internal static class LogTail
{
    public static async Task RunAsync(string logFile, string? venv, bool follow, CancellationToken ct)
    {
        if (!File.Exists(logFile))
        {
            throw new KomlogdException($"{logFile}: no log yet; the agent writes it once it runs");
        }
        var tag = venv is null ? null : $"] [{venv}] ";
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
            if (tag is null || line.Contains(tag, StringComparison.Ordinal))
            {
                await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
    }
}
