namespace Komlogd.Core.Configuration;

/// <summary>One valid <c>- package:</c> block.</summary>
/// <param name="Block">1-based position of the block in the configuration list.</param>
/// <param name="Line">YAML line of the block.</param>
/// <param name="Install">The install spec, as written.</param>
/// <param name="Enabled">Whether the agent installs and runs it.</param>
/// <param name="Venv">The venv as written: <c>default</c>, <c>unique</c> or a name.</param>
public sealed record PackageBlock(int Block, int Line, string Install, bool Enabled, string Venv)
{
    public const string DefaultVenv = "default";
    public const string UniqueVenv = "unique";
}
