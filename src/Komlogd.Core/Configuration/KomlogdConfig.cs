namespace Komlogd.Core.Configuration;

/// <summary>A parsed komlogd.yaml and the paths derived from where it lives.</summary>
/// <param name="File">Full path of the configuration file; its directory is the config dir.</param>
/// <param name="Username">The <c>username</c> block, null while unset.</param>
/// <param name="KeyFileSetting">The <c>keyfile</c> block as written, null when absent.</param>
/// <param name="Logging">The <c>logging</c> block, or the defaults.</param>
/// <param name="Packages">Valid package blocks, in file order.</param>
/// <param name="PackageErrors">Package blocks that were disabled for a mistake: they do not run, the rest does.</param>
public sealed record KomlogdConfig(
    string File,
    string? Username,
    string? KeyFileSetting,
    LoggingOptions Logging,
    IReadOnlyList<PackageBlock> Packages,
    IReadOnlyList<ConfigError> PackageErrors)
{
    /// <summary>Valid export blocks, in file order (docs/export.md).</summary>
    public IReadOnlyList<Export.ExportBlock> Exports { get; init; } = [];

    /// <summary>Export blocks that were disabled for a mistake: they do not run, the rest does.</summary>
    public IReadOnlyList<ConfigError> ExportErrors { get; init; } = [];

    public string ConfigDir => Path.GetDirectoryName(File)!;

    public string PrivateKeyFile => KeyFileSetting is null
        ? Path.Combine(ConfigDir, "key.priv")
        : Path.GetFullPath(KeyFileSetting, ConfigDir);

    /// <summary>key.pub beside the private key (<c>x.priv</c> → <c>x.pub</c>, else <c>x.pub</c> appended).</summary>
    public string PublicKeyFile => PrivateKeyFile.EndsWith(".priv", StringComparison.Ordinal)
        ? PrivateKeyFile[..^".priv".Length] + ".pub"
        : PrivateKeyFile + ".pub";

    public string LogDir => Path.GetFullPath(Logging.Dirname, ConfigDir);
    public string LogFile => Path.Combine(LogDir, Logging.Filename);
    public string DataDir => Path.Combine(ConfigDir, "data");
    public string StoreFile => Path.Combine(DataDir, "komlogd.db");
    public string VenvsDir => Path.Combine(ConfigDir, ".venvs");
    public string SocketFile => SocketIn(ConfigDir);

    /// <summary>The running agent's control socket for the config dir <paramref name="configDir"/>.</summary>
    public static string SocketIn(string configDir) => Path.Combine(configDir, "komlogd.sock");

    /// <summary>The default configuration file: <c>~/.komlogd/komlogd.yaml</c>.</summary>
    public static string DefaultFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".komlogd", "komlogd.yaml");
}
