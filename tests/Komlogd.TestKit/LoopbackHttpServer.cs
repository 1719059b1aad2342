using System.Net;

namespace Komlogd.TestKit;

/// <summary>
/// A small real HTTP server (HttpListener) on a free loopback port that hands every request to
/// <paramref name="handle"/>, each on its own task: the back ends a test must control (a zip to download, a
/// remote-write receiver answering 429), with no network.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> handle)
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(() => handle(context));
            }
        });
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>, no trailing slash.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// Close only, never Stop then Close: on Linux the managed HttpListener removes its prefixes on each, and
    /// the second removal binds the port again to find its endpoint; when something else has the port by then
    /// (another test's listener, an outgoing connection's ephemeral port) Close throws "Address already in use".
    /// </summary>
    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(10));
    }
}
