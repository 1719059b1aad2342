using Komlogd.Core.Cli;

// -u and status first: they start in a fraction of the full command line's time (ShortCommands), and
// synchronously: a Main that awaits nothing compiles no async state machine for them.
return ShortCommands.TryRun(args) ?? KomlogdCommand.RunAsync(args).GetAwaiter().GetResult();
