namespace Komlogd.Core.Configuration;

/// <summary>
/// First run and every run after: make sure the config dir, configuration, keys and log dir exist, then
/// check the configuration is complete enough to run, as the original's <c>initialize</c>.
/// </summary>
public static class Initializer
{
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates what is missing and returns the parsed configuration (username may still be unset). Creates
    /// the file wherever it is asked to: only <c>komlogd init</c> asks for one that is not the default.
    /// </summary>
    /// <param name="configFile">The configuration file.</param>
    /// <param name="load">How it is read: in process (<see cref="ConfigLoader.Load"/>, the default) or, for the agent, in a child (<see cref="ConfigProcess.Load"/>).</param>
    public static KomlogdConfig Prepare(string configFile, Func<string, KomlogdConfig>? load = null)
    {
        configFile = Path.GetFullPath(configFile);
        if (!File.Exists(configFile))
        {
            CreateConfig(configFile, null);
        }
        var config = (load ?? ConfigLoader.Load)(configFile);
        KeyPair.Ensure(config.PrivateKeyFile, config.PublicKeyFile);
        Directory.CreateDirectory(config.LogDir);
        return config;
    }

    /// <summary>
    /// Writes a new configuration (0600, its directory 0700 when it is made too): the commented template, and
    /// a username block when one is given (komlogd service install: the service must start without an edit).
    /// </summary>
    public static void CreateConfig(string configFile, string? username)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(configFile))!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir, DirMode);
        }
        using var stream = new FileStream(configFile, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(ConfigTemplate.Text);
        if (username is not null)
        {
            writer.Write($"\n- username: {username}\n");
        }
    }

    /// <summary>
    /// <see cref="Prepare"/>, then fail with the original's message while username is unset. As the original,
    /// only the default file is created on a first run; <c>-c</c> naming a file that does not exist is a
    /// mistake ("File not found"), so a typo never makes a new config dir with fresh keys.
    /// </summary>
    public static KomlogdConfig Initialize(string configFile, Func<string, KomlogdConfig>? load = null)
    {
        if (!IsDefault(configFile))
        {
            RequireExists(configFile);
        }
        var config = Prepare(configFile, load);
        if (config.Username is null)
        {
            throw new KomlogdException(NotInitializedMessage(config), ExitCodes.Failure);
        }
        return config;
    }

    /// <summary>
    /// For commands that read a configuration and never create one: the original's "File not found: FILE"
    /// (exit 2), or, for the default file, how to create it.
    /// </summary>
    public static void RequireExists(string configFile)
    {
        if (File.Exists(configFile))
        {
            return;
        }
        throw new KomlogdException(IsDefault(configFile)
            ? $"{Path.GetFullPath(configFile)}: no such configuration file; run 'komlogd' once to create it"
            : $"File not found: {configFile}");
    }

    private static bool IsDefault(string configFile) =>
        string.Equals(Path.GetFullPath(configFile), Path.GetFullPath(KomlogdConfig.DefaultFile), StringComparison.Ordinal);

    public static string NotInitializedMessage(KomlogdConfig config) =>
        $"Error initializing komlogd.\nSet username in configuration file.\nLog info: {config.LogFile}";
}
