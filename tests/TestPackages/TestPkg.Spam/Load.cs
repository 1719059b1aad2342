using System.Diagnostics;
using System.Text;
using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Spam.Load))]

namespace TestPkg.Spam;

/// <summary>
/// Everything a package could do to the host's stdout at once: 100,000 Console.Out lines, raw writes to
/// the standard output stream, a grandchild that echoes, and reading stdin. None may reach the channel.
/// </summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        var lines = int.TryParse(Environment.GetEnvironmentVariable("SPAM_LINES"), out var n) ? n : 100_000;
        _ = Task.Run(() =>
        {
            var raw = Console.OpenStandardOutput();
            var rawLine = Encoding.ASCII.GetBytes("Content-Length: 99\r\n\r\n{\"raw\":true}\n");
            for (var i = 0; i < lines; i++)
            {
                Console.Out.WriteLine($"spam line {i} {{\"jsonrpc\":\"2.0\",\"id\":{i},\"result\":0}}");
                if (i % 1000 == 0)
                {
                    raw.Write(rawLine);
                }
            }
            Console.Out.Flush();
            context.Log.Info($"spam: {lines} lines written");
        }, cancellationToken);
        _ = Task.Run(() =>
        {
            using var echo = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "echo grandchild on fd1; cat >/dev/null"]) { UseShellExecute = false })!;
            echo.WaitForExit();
            context.Log.Info("spam: grandchild done");
        }, cancellationToken);
        _ = Task.Run(() =>
        {
            var read = Console.In.ReadToEnd();
            var stdin = Console.OpenStandardInput().Read(new byte[16], 0, 16);
            context.Log.Info($"spam: stdin gave {read.Length} chars and {stdin} bytes");
        }, cancellationToken);
        return Task.CompletedTask;
    }
}
