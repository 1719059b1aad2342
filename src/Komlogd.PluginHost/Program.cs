using System.Runtime.InteropServices;
using Komlogd.PluginHost;
using Komlogd.Protocol.Channel;
using Komlogd.Protocol;

// Usage (by the agent only): KOMLOGD_PLUGIN_COOKIE=... dotnet Komlogd.PluginHost.dll
// The venv and its entry assembly arrive in the initialize request (docs/protocol.md).
if (Environment.GetEnvironmentVariable(Handshake.CookieName) != Handshake.CookieValue)
{
    Console.Error.WriteLine("Komlogd.PluginHost is started by the komlogd agent, one per venv; it is not a program to run directly. Run 'komlogd'.");
    return 1;
}

// Before any package code can start a process: this host and what its packages start form one group, out
// of the terminal's foreground group (docs/protocol.md, "Signals").
ProcessGroup.Lead();
// First: the profile's methods compile on another core while this thread starts the channel.
StartupProfile.Start();
var (input, output) = ChannelGuard.Take();
var channel = new RpcChannel(input, output, Console.Error);
var server = new HostServer(new RpcAgentChannel(channel), TimeProvider.System);

// SIGINT/SIGTERM are a stop request, as the agent's shutdown is: systemd's control-group kill sends SIGTERM
// to the agent and to every host at once, and the agent, which got it too, is about to ask for the same stop.
var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnStopSignal(PosixSignalContext context)
{
    context.Cancel = true;
    signalled.TrySetResult();
}
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);

channel.Start(server);
var ended = await Task.WhenAny(channel.Completion, server.StopOnSignalAsync(signalled.Task)).ConfigureAwait(false);
if (ended == channel.Completion && channel.Completion.Exception is { } lost)
{
    // Ends when stdin closes: the agent disposed the channel, or died (the kernel closed its end).
    Console.Error.WriteLine($"Komlogd.PluginHost: channel lost: {HostServer.FirstLine(lost.InnerException?.Message ?? lost.Message)}");
}
// What the packages started goes with the host, also when the agent was SIGKILLed (NoOrphanTests).
ProcessGroup.KillOthers();
// Exit even when a package left foreground threads running: no child outlives its channel.
Environment.Exit(0);
return 0;
