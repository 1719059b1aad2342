namespace Komlogd.Protocol;

/// <summary>The levels of a <see cref="LogEntry"/> (Serilog's names for them).</summary>
public static class LogLevels
{
    /// <summary>Detail for whoever debugs a package.</summary>
    public const string Debug = "Debug";

    /// <summary>Normal operation.</summary>
    public const string Information = "Information";

    /// <summary>Something went wrong and was dealt with.</summary>
    public const string Warning = "Warning";

    /// <summary>Something failed: data or work was lost.</summary>
    public const string Error = "Error";
}
