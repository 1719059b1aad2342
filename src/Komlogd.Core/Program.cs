using Komlogd.Core.Cli;

// -u, status and the agent's plain start first (ShortCommands): the two commands start in a fraction of the
// full command line's time, synchronously (a Main that awaits nothing compiles no async state machine for
// them), and the agent keeps nothing of the command line's tree loaded for its whole life.
return ShortCommands.TryRun(args) ?? KomlogdCommand.RunAsync(args).GetAwaiter().GetResult();
