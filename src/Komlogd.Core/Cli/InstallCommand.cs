using System.CommandLine;
using Komlogd.Core.Configuration;
using Komlogd.Core.Installation;
using Komlogd.Core.Logging;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>komlogd install [--venv NAME]</c>: the agent's install step alone, then exit. Progress on stdout
/// (<see cref="TerminalReport"/>), one line per failed venv on stderr, exit 1 when any venv failed.
/// </summary>
internal static class InstallCommand
{
    public static Command Create()
    {
        var venv = new Option<string?>("--venv") { Description = "Install only this venv (default, a name, or unique-<block>-<hash>)", HelpName = "NAME" };
        // The agent's own installs run this command in a child (InstallerProcess): JSON lines on stdout.
        var forAgent = new Option<bool>(InstallerProcess.ForAgentOption) { Description = "Reserved for the agent", Hidden = true };
        var install = new Command("install", "Install or update the venvs of the package blocks, then exit") { venv, forAgent };
        install.SetAction((result, ct) => CommandGuard.Run(async () =>
        {
            var config = Initializer.Initialize(result.GetValue(KomlogdCommand.Config)!);
            // stderr is for the failure lines below, one per venv: the log's own copy would repeat them.
            await using var log = LogSetup.Create(config, stderr: false);
            if (result.GetValue(forAgent))
            {
                // The agent has logged the configuration's disabled blocks; it reads each venv's result.
                return await InstallerProcess.ServeAsync(config, log, ct).ConfigureAwait(false);
            }
            foreach (var error in config.PackageErrors)
            {
                log.Error("Package disabled: {Error}", error.ToString());
                await Console.Error.WriteLineAsync($"Package disabled: {error}").ConfigureAwait(false);
            }
            using var progress = new TerminalReport(Console.Out, !Console.IsOutputRedirected, TimeProvider.System);
            var results = await new VenvInstaller(log).InstallAsync(config, result.GetValue(venv), progress, ct).ConfigureAwait(false);
            var failed = results.Where(r => r.Outcome == VenvInstallOutcome.Failed).ToList();
            foreach (var f in failed)
            {
                await Console.Error.WriteLineAsync(f.Error).ConfigureAwait(false);
            }
            return failed.Count > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        return install;
    }

}
