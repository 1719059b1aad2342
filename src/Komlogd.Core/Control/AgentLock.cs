namespace Komlogd.Core.Control;

/// <summary>
/// One agent per config dir: <c>komlogd.lock</c> held open with FileShare.None, which .NET on Unix turns
/// into an exclusive flock(2). The kernel drops the lock when the agent dies, however it dies, so a stale
/// lock file never blocks the next agent. The pid goes to <c>komlogd.pid</c> beside it: another process
/// cannot read a file under an exclusive flock (.NET takes a shared one to read).
/// </summary>
public sealed class AgentLock : IDisposable
{
    private readonly FileStream _file;

    private AgentLock(FileStream file) => _file = file;

    public static AgentLock Acquire(string configDir)
    {
        var path = Path.Combine(configDir, "komlogd.lock");
        var pidFile = Path.Combine(configDir, "komlogd.pid");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var pid = TryRead(pidFile);
            throw new KomlogdException($"another komlogd agent{(pid is null ? "" : $" (pid {pid})")} is running with the config dir {configDir}; stop it first", ExitCodes.Failure);
        }
        File.WriteAllText(pidFile, $"{Environment.ProcessId}\n");
        return new AgentLock(file);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } pid ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
