using System.Net;
using System.Net.Sockets;

namespace Komlogd.Installer.Tests;

/// <summary>A real HTTP server on 127.0.0.1 serving one file at one path, for zip-URL installs without a network.</summary>
public sealed class ZipServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public ZipServer(string path, string file)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}{path}";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var response = context.Response;
                if (context.Request.Url?.AbsolutePath == path)
                {
                    var bytes = await File.ReadAllBytesAsync(file);
                    response.ContentType = "application/zip";
                    await response.OutputStream.WriteAsync(bytes);
                }
                else
                {
                    response.StatusCode = 404;
                }
            }
        });
    }

    public string Url { get; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
