using Komlogd.PluginHost;
using Komlogd.Protocol;
using StreamJsonRpc;

// Usage (by the agent only): KOMLOGD_PLUGIN_COOKIE=... dotnet Komlogd.PluginHost.dll
// The venv and its entry assembly arrive in the initialize request (docs/protocol.md).
if (Environment.GetEnvironmentVariable(Handshake.CookieName) != Handshake.CookieValue)
{
    Console.Error.WriteLine("Komlogd.PluginHost is started by the komlogd agent, one per venv; it is not a program to run directly. Run 'komlogd'.");
    return 1;
}

// First: the profile's methods compile on another core while this thread starts the channel.
StartupProfile.Start();
var (input, output) = ChannelGuard.Take();
var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, new SystemTextJsonFormatter()));
var server = new HostServer(new RpcAgentChannel(rpc), TimeProvider.System);
rpc.AddLocalRpcTarget(server, new JsonRpcTargetOptions { DisposeOnDisconnect = false });
rpc.StartListening();
try
{
    // Ends when stdin closes: the agent disposed the channel, or died (the kernel closed its end).
    await rpc.Completion.ConfigureAwait(false);
}
catch (Exception e)
{
    Console.Error.WriteLine($"Komlogd.PluginHost: channel lost: {HostServer.FirstLine(e.Message)}");
}
// Exit even when a package left foreground threads running: no child outlives its channel.
Environment.Exit(0);
return 0;
