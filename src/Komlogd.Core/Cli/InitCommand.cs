using System.CommandLine;
using Komlogd.Core.Configuration;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>komlogd init [-c FILE]</c>: make a config dir on purpose (commented template, key pair, log dir), at
/// <c>FILE</c> or the default path. A run with <c>-c</c> never creates one ("File not found", as the
/// original); this does, and keeps whatever already exists.
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var init = new Command("init", "Create a configuration at -c FILE (or the default path): commented template, key pair, log dir; keep what exists");
        init.SetAction(result => CommandGuard.Run(() =>
        {
            var file = result.GetValue(KomlogdCommand.Config)!;
            var existed = File.Exists(file);
            var config = Initializer.Prepare(file);
            Console.Out.WriteLine(existed ? $"{config.File}: exists, kept" : $"{config.File}: created");
            Console.Out.WriteLine($"keys: {config.PrivateKeyFile}, {config.PublicKeyFile}; log: {config.LogDir}");
            if (config.Username is null)
            {
                Console.Out.WriteLine($"Set username in {config.File}, then run: komlogd -c {config.File}");
            }
            return ExitCodes.Ok;
        }));
        return init;
    }
}
