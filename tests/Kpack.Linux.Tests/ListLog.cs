using Komlogd.Sdk;

namespace Kpack.Linux.Tests;

/// <summary>A package log that keeps its lines (Debug dropped).</summary>
internal sealed class ListLog : IKomlogdLog
{
    private readonly Lock gate = new();

    public List<string> Lines { get; } = [];

    public void Debug(string message)
    {
    }

    public void Info(string message) => Add($"INFO {message}");

    public void Warning(string message) => Add($"WARNING {message}");

    public void Error(string message, Exception? exception = null) => Add($"ERROR {message}: {exception?.Message}");

    private void Add(string line)
    {
        lock (gate)
        {
            Lines.Add(line);
        }
    }
}
