using System.CommandLine;
using System.Text.RegularExpressions;
using Wrap = CliWrap.Cli;
using CommandResultValidation = CliWrap.CommandResultValidation;
using CliWrap.Buffered;
using Komlogd.Core.Configuration;
using Komlogd.Core.Service;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>komlogd service install|uninstall [--system]</c>: writes or removes the systemd unit that runs this
/// komlogd (packaging/systemd/, filled in by <see cref="ServiceUnit"/>), creating the configuration it runs
/// with when there is none. It runs no systemctl: it prints what to run (docs/operations.md).
/// </summary>
internal static partial class ServiceCommand
{
    /// <summary>A system service's configuration when -c is not given: the service user's home.</summary>
    public const string SystemConfigFile = "/var/lib/komlogd/komlogd.yaml";

    public static Command Create()
    {
        var install = new Command("install", "Write the systemd unit for this komlogd and, if missing, the configuration it runs with");
        var systemWide = SystemOption();
        var unitDir = UnitDirOption();
        var user = new Option<string>("--as-user")
        {
            Description = "With --system: the user the service runs as (created with useradd when missing)",
            DefaultValueFactory = _ => "komlogd",
            HelpName = "NAME",
        };
        install.Options.Add(systemWide);
        install.Options.Add(user);
        install.Options.Add(unitDir);
        install.SetAction((result, ct) => CommandGuard.Run(() => InstallAsync(result, result.GetValue(systemWide), result.GetValue(user)!, result.GetValue(unitDir), ct)));

        var uninstall = new Command("uninstall", "Remove the systemd unit written by 'service install' (the configuration and data stay)");
        var uninstallSystem = SystemOption();
        var uninstallDir = UnitDirOption();
        uninstall.Options.Add(uninstallSystem);
        uninstall.Options.Add(uninstallDir);
        uninstall.SetAction(result => CommandGuard.Run(() => Uninstall(result.GetValue(uninstallSystem), result.GetValue(uninstallDir))));

        return new Command("service", "Run komlogd under systemd: write or remove its unit file") { install, uninstall };
    }

    private static Option<bool> SystemOption() => new("--system") { Description = "A system service run by a user of its own (as root), not a user service" };

    private static Option<string?> UnitDirOption() => new("--unit-dir")
    {
        Description = "Where the unit file goes (default /etc/systemd/system with --system, else ~/.config/systemd/user)",
        HelpName = "DIR",
    };

    private static async Task<int> InstallAsync(ParseResult result, bool system, string user, string? unitDir, CancellationToken ct)
    {
        var configFile = Path.GetFullPath(system && result.GetResult(KomlogdCommand.Config) is null or { Implicit: true }
            ? SystemConfigFile
            : result.GetValue(KomlogdCommand.Config)!);
        var unitFile = Path.Combine(UnitDir(system, unitDir), ServiceUnit.FileName);
        // Rendered first: a path systemd cannot take is refused before anything is created.
        var unit = ServiceUnit.Render(system, configFile, user);
        if (system)
        {
            CheckOthersCanRun();
            await EnsureUserAsync(user, Path.GetDirectoryName(configFile)!, ct).ConfigureAwait(false);
        }
        var created = !File.Exists(configFile);
        if (created)
        {
            Initializer.CreateConfig(configFile, UsernameOf(system ? user : Environment.UserName));
        }
        // Keys and the log dir, as the first run makes them.
        var config = Initializer.Prepare(configFile);
        if (system)
        {
            await RunAsync("chown", ["-R", $"{user}:", Path.GetDirectoryName(configFile)!], ct).ConfigureAwait(false);
        }
        Write(unitFile, unit);
        var systemctl = system ? "systemctl" : "systemctl --user";
        Console.Out.WriteLine($"wrote {unitFile}");
        Console.Out.WriteLine(created ? $"created {configFile} (add package blocks there)" : $"using {configFile}");
        if (config.Username is null)
        {
            // The service would stop at once with the first run's "Set username" message.
            Console.Out.WriteLine($"set username in {configFile} before starting the service");
        }
        Console.Out.WriteLine($"next: {systemctl} daemon-reload && {systemctl} enable --now komlogd");
        if (!system)
        {
            Console.Out.WriteLine($"to keep it running after you log out: loginctl enable-linger {Environment.UserName}");
        }
        return ExitCodes.Ok;
    }

    private static int Uninstall(bool system, string? unitDir)
    {
        var unitFile = Path.Combine(UnitDir(system, unitDir), ServiceUnit.FileName);
        if (!File.Exists(unitFile))
        {
            throw new KomlogdException($"{unitFile}: no komlogd unit there; nothing to remove");
        }
        var systemctl = system ? "systemctl" : "systemctl --user";
        try
        {
            File.Delete(unitFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KomlogdException($"cannot remove {unitFile}: {e.Message}", ExitCodes.Failure, e);
        }
        Console.Out.WriteLine($"removed {unitFile}; the configuration and data stay where they are");
        Console.Out.WriteLine($"if it was running: {systemctl} disable --now komlogd; then {systemctl} daemon-reload");
        return ExitCodes.Ok;
    }

    private static string UnitDir(bool system, string? unitDir)
    {
        if (unitDir is not null)
        {
            return Path.GetFullPath(unitDir);
        }
        if (system)
        {
            return "/etc/systemd/system";
        }
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "systemd", "user");
    }

    /// <summary>A username the configuration accepts ([a-z0-9-_.]+), made from an account's name.</summary>
    private static string UsernameOf(string account) =>
        UsernameRegex().Replace(account.ToLowerInvariant(), "") is { Length: > 0 } name ? name : "komlogd";

    private static void Write(string unitFile, string unit)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(unitFile)!);
            var tmp = unitFile + ".tmp";
            File.WriteAllText(tmp, unit);
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(tmp, unitFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KomlogdException($"cannot write {unitFile}: {e.Message}", ExitCodes.Failure, e);
        }
    }

    /// <summary>The system service's user, created (a system account whose home is the config dir) when missing.</summary>
    private static async Task EnsureUserAsync(string user, string home, CancellationToken ct)
    {
        var known = await Wrap.Wrap("getent").WithArguments(["passwd", user]).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct).ConfigureAwait(false);
        if (known.ExitCode == 0)
        {
            return;
        }
        await RunAsync("useradd", ["--system", "--user-group", "--home-dir", home, "--shell", "/usr/sbin/nologin", user], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A system service's user is not root: it must be able to reach and read this komlogd. A global tool of
    /// root's (~/.dotnet/tools under /root, mode 0700) is the usual mistake; said before anything is written.
    /// </summary>
    private static void CheckOthersCanRun()
    {
        foreach (var path in ServiceUnit.ExecStart().Append(Path.Combine(AppContext.BaseDirectory, "komlogd.dll")))
        {
            for (var dir = Path.GetDirectoryName(path); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
                {
                    throw new KomlogdException($"{dir} is closed to other users, so the service's user cannot run {path}; " +
                        "install komlogd where it can, e.g. dotnet tool install --tool-path /opt/komlogd komlogd");
                }
            }
        }
    }

    private static async Task RunAsync(string tool, string[] args, CancellationToken ct)
    {
        BufferedCommandResult run;
        try
        {
            run = await Wrap.Wrap(tool).WithArguments(args).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KomlogdException($"cannot run {tool}: {e.Message}", ExitCodes.Failure, e);
        }
        if (run.ExitCode != 0)
        {
            var why = run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit {run.ExitCode}";
            throw new KomlogdException($"{tool} {string.Join(' ', args)} failed: {why}", ExitCodes.Failure);
        }
    }

    [GeneratedRegex("[^a-z0-9_.-]")]
    private static partial Regex UsernameRegex();
}
