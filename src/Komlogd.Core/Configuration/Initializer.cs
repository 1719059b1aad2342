namespace Komlogd.Core.Configuration;

/// <summary>
/// First run and every run after: make sure the config dir, configuration, keys and log dir exist, then
/// check the configuration is complete enough to run, as the original's <c>initialize</c>.
/// </summary>
public static class Initializer
{
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates what is missing and returns the parsed configuration (username may still be unset).</summary>
    public static KomlogdConfig Prepare(string configFile)
    {
        configFile = Path.GetFullPath(configFile);
        var dir = Path.GetDirectoryName(configFile)!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir, DirMode);
        }
        if (!File.Exists(configFile))
        {
            using var stream = new FileStream(configFile, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(ConfigTemplate.Text);
        }
        var config = ConfigLoader.Load(configFile);
        KeyPair.Ensure(config.PrivateKeyFile, config.PublicKeyFile);
        Directory.CreateDirectory(config.LogDir);
        return config;
    }

    /// <summary>
    /// <see cref="Prepare"/>, then fail with the original's message while username is unset.
    /// </summary>
    public static KomlogdConfig Initialize(string configFile)
    {
        var config = Prepare(configFile);
        if (config.Username is null)
        {
            throw new KomlogdException(NotInitializedMessage(config), ExitCodes.Failure);
        }
        return config;
    }

    public static string NotInitializedMessage(KomlogdConfig config) =>
        $"Error initializing komlogd.\nSet username in configuration file.\nLog info: {config.LogFile}";
}
