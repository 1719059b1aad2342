using Komlogd.Core.Cli;

return await KomlogdCommand.RunAsync(args).ConfigureAwait(false);
