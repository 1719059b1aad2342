namespace Komlogd.Installer.Tests;

/// <summary>A real HTTP server on 127.0.0.1 serving one file at one path, for zip-URL installs without a network.</summary>
public sealed class ZipServer : IDisposable
{
    private readonly LoopbackHttpServer _server;

    public ZipServer(string path, string file)
    {
        _server = new LoopbackHttpServer(async context =>
        {
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
        });
        Url = _server.Url + path;
    }

    public string Url { get; }

    public void Dispose() => _server.Dispose();
}
