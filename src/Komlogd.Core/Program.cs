using Komlogd.Core.Cli;

// -u and status first: they start in a fraction of the full command line's time (ShortCommands).
return await ShortCommands.TryRunAsync(args).ConfigureAwait(false) ?? await KomlogdCommand.RunAsync(args).ConfigureAwait(false);
