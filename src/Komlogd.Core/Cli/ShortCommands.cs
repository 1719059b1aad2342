using Komlogd.Core.Configuration;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>cmd | komlogd -u URI</c> and <c>komlogd status</c>, served before the full command line is built: they
/// run in scripts, cron jobs and loops, often once a minute on every machine, and most of their time went on
/// starting what they do not use (System.CommandLine's tree of every command, the Generic Host's assemblies,
/// StreamJsonRpc). And the agent's plain start, <c>komlogd [-c FILE] [-q]</c>, which would otherwise keep that
/// tree loaded for as long as it runs. They run synchronously, on blocking socket calls (<see cref="Control.ControlClient.TryConnect"/>).
/// Only the plain forms are taken here; anything else (help, a typo, another option) goes to
/// <see cref="KomlogdCommand"/>, which gives the same result and the usual messages (docs/cli.md, "The short
/// commands' start").
/// </summary>
internal static class ShortCommands
{
    /// <summary>The command's exit code, or null when <paramref name="args"/> are not a short command's.</summary>
    public static int? TryRun(string[] args)
    {
        if (args is [ConfigProcess.Option, var file])
        {
            return CommandGuard.Run(() => ConfigProcess.Serve(file)); // the agent's configuration read (ConfigProcess)
        }
        string? config = null, uri = null, supplies = null;
        bool datapoint = false, status = false, json = false, quiet = false;
        for (var i = 0; i < args.Length; i++)
        {
            var more = i + 1 < args.Length;
            switch (args[i])
            {
                case "-c" or "--config" when more && config is null:
                    config = args[++i];
                    break;
                case "-u" or "--uri" when more && uri is null:
                    uri = args[++i];
                    break;
                case "--supplies" when more && supplies is null:
                    supplies = args[++i];
                    break;
                case "--datapoint" when !datapoint:
                    datapoint = true;
                    break;
                case "status" when i == 0 || (i == 2 && config is not null):
                    status = true;
                    break;
                case "--json" when status && !json:
                    json = true;
                    break;
                case "-q" or "--quiet" when !quiet:
                    quiet = true;
                    break;
                default:
                    return null;
            }
        }
        if (quiet && (uri is not null || status))
        {
            return null; // -q goes with the agent alone: the full command line takes the rest
        }
        var configFile = config ?? KomlogdConfig.DefaultFile;
        if (uri is not null && !status)
        {
            return CommandGuard.Run(() => UriSample.Run(configFile, uri, datapoint, supplies));
        }
        if (uri is not null || supplies is not null || datapoint)
        {
            return null; // -u's options without -u, or -u with status: the full command line says what is wrong
        }
        if (status)
        {
            return CommandGuard.Run(() => AgentCommands.Status(configFile, json));
        }
        // The agent itself: its whole life, so nothing of the command line's tree need stay loaded in it
        // (System.CommandLine and every command's options, about 0.6 MiB of its memory).
        return CommandGuard.Run(() => KomlogdCommand.RunAgentAsync(configFile, quiet, CancellationToken.None)).GetAwaiter().GetResult();
    }
}
