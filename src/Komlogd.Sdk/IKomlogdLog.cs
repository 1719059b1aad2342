namespace Komlogd.Sdk;

/// <summary>
/// A package's log. Lines go to the agent's log file tagged with the venv and package; never to stdout.
/// </summary>
/// <example>
/// <code>
/// context.Log.Info($"collected {count} samples");
/// </code>
/// </example>
public interface IKomlogdLog
{
    /// <summary>Detail for debugging (logged at DEBUG).</summary>
    void Debug(string message);

    /// <summary>Normal operation (INFO).</summary>
    void Info(string message);

    /// <summary>Something unexpected that the package handled (WARNING).</summary>
    void Warning(string message);

    /// <summary>A failure (ERROR), with the exception when there is one.</summary>
    void Error(string message, Exception? exception = null);
}
