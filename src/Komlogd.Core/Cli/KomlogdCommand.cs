using System.CommandLine;
using Komlogd.Core.Agent;
using Komlogd.Core.Configuration;
using Komlogd.Core.Logging;

namespace Komlogd.Core.Cli;

/// <summary>
/// The <c>komlogd</c> command line. Every action turns a <see cref="KomlogdException"/> into one line on
/// stderr and its exit code; anything else is a bug and keeps its stack trace.
/// </summary>
public static class KomlogdCommand
{
    internal static readonly Option<string> Config = new("--config", "-c")
    {
        Description = "Configuration file; its directory holds keys, logs, data and venvs",
        DefaultValueFactory = _ => KomlogdConfig.DefaultFile,
        Recursive = true,
        HelpName = "FILE",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var uri = new Option<string?>("--uri", "-u") { Description = "Store what is piped to stdin as a text sample of URI", HelpName = "URI" };
        var datapoint = new Option<bool>("--datapoint") { Description = "With -u: stdin is a number, stored as a datapoint of URI (exported to Prometheus; text is not)" };
        var supplies = new Option<string?>("--supplies") { Description = "With -u: the datapoints this text supplies: a,b (only those), none, or all (every one found, the default)", HelpName = "a,b|none|all" };
        var venv = new Option<string?>("--venv", "-v") { Description = "Reserved for the agent's children", Hidden = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing on stdout while the agent runs (the log still gets everything)" };
        var root = new RootCommand("komlogd: a monitoring agent. Run it to start the agent; pipe text to 'komlogd -u URI' to store a sample.")
        {
            Config, uri, datapoint, supplies, venv, quiet,
        };
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(IdentifyCommand.Create());
        foreach (var command in AgentCommands.Create())
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(AgentConsole.Create());
        root.Subcommands.Add(InstallCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        foreach (var command in InfoCommands.Create())
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(ServiceCommand.Create());
        root.SetAction((result, ct) => CommandGuard.Run(async () =>
        {
            if (result.GetValue(venv) is not null)
            {
                throw new KomlogdException("komlogd: -v/--venv is reserved for the agent's own children; the agent starts them itself");
            }
            var configFile = result.GetValue(Config)!;
            if (result.GetValue(uri) is { } u)
            {
                return UriSample.Run(configFile, u, result.GetValue(datapoint), result.GetValue(supplies));
            }
            if (result.GetValue(supplies) is not null)
            {
                throw new KomlogdException("--supplies goes with -u URI: 'df -k | komlogd -u host.df --supplies none'");
            }
            if (result.GetValue(datapoint))
            {
                throw new KomlogdException("--datapoint goes with -u URI: 'echo 42 | komlogd -u URI --datapoint'");
            }
            return await RunAgentAsync(configFile, result.GetValue(quiet), ct).ConfigureAwait(false);
        }));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"komlogd: {parsed.Errors[0].Message} (see 'komlogd --help')");
            return ExitCodes.Usage;
        }
        // The agent handles SIGINT/SIGTERM itself (AgentHost); System.CommandLine must not race it.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    /// <summary>
    /// The agent: what <c>komlogd</c> without a command runs, from here or from <see cref="ShortCommands"/>
    /// (the plain <c>komlogd [-c FILE] [-q]</c>). A first run creates the configuration and exits.
    /// </summary>
    internal static async Task<int> RunAgentAsync(string configFile, bool quiet, CancellationToken ct)
    {
        // As the original: data piped to komlogd without -u is a mistake, not something to drop silently.
        if (Stdin.HasDataWithin(TimeSpan.FromMilliseconds(100)))
        {
            throw new KomlogdException("stdin data detected, but no uri parameter found");
        }
        // Before the agent's threads start: they share one C heap (NativeHeap.OneArena).
        Komlogd.Protocol.Runtime.NativeHeap.OneArena();
        // Read in a child komlogd: YAML's parser and rules need not stay loaded in the agent (ConfigProcess).
        var config = Initializer.Initialize(configFile, ConfigProcess.Load);
        await using var log = LogSetup.Create(config, rotate: true);
        using var report = TerminalReport.ForConsole(quiet);
        return await AgentHost.RunAsync(config, log, report, ct).ConfigureAwait(false);
    }

    /// <summary>The -c file, which must exist: commands that read a configuration never create one.</summary>
    internal static string ExistingConfigFile(ParseResult result)
    {
        var given = result.GetValue(Config)!;
        Initializer.RequireExists(given);
        return Path.GetFullPath(given);
    }

}
