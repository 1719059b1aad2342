using System.CommandLine;
using Komlogd.Core.Configuration;
using Komlogd.Core.Installation;

namespace Komlogd.Core.Cli;

/// <summary><c>komlogd pubkey</c> and <c>komlogd sdk-feed</c>: what a user copies somewhere else.</summary>
internal static class InfoCommands
{
    public static IEnumerable<Command> Create()
    {
        // The original told users to register their public key with Komlog; it is still how a user says who they are.
        var pubkey = new Command("pubkey", "Print the public key (key.pub beside the configured private key)");
        pubkey.SetAction(result => CommandGuard.Run(() =>
        {
            var config = ConfigLoader.Load(KomlogdCommand.ExistingConfigFile(result));
            if (!File.Exists(config.PublicKeyFile))
            {
                throw new KomlogdException($"{config.PublicKeyFile}: no public key; run 'komlogd' once to create the key pair", ExitCodes.Failure);
            }
            Console.Out.Write(File.ReadAllText(config.PublicKeyFile));
            return ExitCodes.Ok;
        }));
        yield return pubkey;

        var sdkFeed = new Command("sdk-feed", "Print the folder holding this komlogd's Komlogd.Sdk package, for a package's nuget.config");
        sdkFeed.SetAction(result => CommandGuard.Run(() =>
        {
            // Not the tool's own folder: a tool update replaces that. The config dir's copy outlives it (SdkFeed).
            var configDir = Path.GetDirectoryName(Path.GetFullPath(result.GetValue(KomlogdCommand.Config)!))!;
            try
            {
                Console.Out.WriteLine(SdkFeed.Refresh(configDir));
            }
            catch (InstallException e)
            {
                throw new KomlogdException(e.Message, ExitCodes.Failure, e);
            }
            return ExitCodes.Ok;
        }));
        yield return sdkFeed;
    }

}
