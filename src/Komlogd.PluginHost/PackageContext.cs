using Komlogd.Protocol;
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
    public void Debug(string message) => Send(LogLevels.Debug, message, null);
    public void Info(string message) => Send(LogLevels.Information, message, null);
    public void Warning(string message) => Send(LogLevels.Warning, message, null);
    public void Error(string message, Exception? exception = null) => Send(LogLevels.Error, message, exception);

    private void Send(string level, string message, Exception? exception) =>
        // Fire and forget: a package must not block on the agent. The send can only fail with the channel
        // gone, and then the host ends (Program.cs): observed here so it is never an unobserved exception.
        send(new LogEntry(level, package, message, exception?.ToString())).ContinueWith(
            static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
