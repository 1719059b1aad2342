using Komlogd.Sdk;

namespace Komlogd.PluginHost;

/// <summary>What one loaded package sees of the host.</summary>
internal sealed class PackageContext(string venv, string package, IKomlogdLog log, CancellationToken stopping) : IKomlogdContext
{
    public string Venv { get; } = venv;
    public string Package { get; } = package;
    public IKomlogdLog Log { get; } = log;
    public CancellationToken Stopping { get; } = stopping;
}

/// <summary>A package's log: each line becomes a <c>log</c> notification to the agent.</summary>
internal sealed class RpcLog(Func<LogEntry, Task> send, string? package) : IKomlogdLog
{
    public void Debug(string message) => Send("Debug", message, null);
    public void Info(string message) => Send("Information", message, null);
    public void Warning(string message) => Send("Warning", message, null);
    public void Error(string message, Exception? exception = null) => Send("Error", message, exception);

    private void Send(string level, string message, Exception? exception) =>
        // Fire and forget: a package must not block on the agent; a lost channel ends the host anyway.
        _ = send(new LogEntry(level, package, message, exception?.ToString()));
}
