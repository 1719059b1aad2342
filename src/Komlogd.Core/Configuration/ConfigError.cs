namespace Komlogd.Core.Configuration;

/// <summary>One mistake in komlogd.yaml: where it is and which rule it breaks.</summary>
/// <param name="File">The configuration file.</param>
/// <param name="Line">1-based YAML line, when known.</param>
/// <param name="Block">1-based position of the list item, when the mistake is inside one.</param>
/// <param name="BlockKey">The item's key (username, package, ...), when known.</param>
/// <param name="Rule">What is wrong, in words.</param>
public sealed record ConfigError(string File, int? Line, int? Block, string? BlockKey, string Rule)
{
    public override string ToString()
    {
        var where = File;
        if (Line is { } line)
        {
            where += $":{line}";
        }
        var block = (Block, BlockKey) switch
        {
            ({ } n, { } key) => $" block {n} '{key}':",
            ({ } n, null) => $" block {n}:",
            _ => "",
        };
        return $"{where}:{block} {Rule}";
    }
}

public sealed class ConfigException(ConfigError error) : KomlogdException(error.ToString(), ExitCodes.Usage)
{
    public ConfigError Error { get; } = error;
}
