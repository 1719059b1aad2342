using System.Diagnostics;

namespace Komlogd.TestKit;

/// <summary>A terminal program under tmux, as a person sees it: a fixed-size screen to read and keys to send. Dispose ends the session.</summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private TmuxSession(string name) => Name = name;

    public string Name { get; }

    /// <summary>Runs <paramref name="command"/> (a shell command line) in a new detached session of width × height.</summary>
    public static async Task<TmuxSession> StartAsync(string command, int width = 80, int height = 24)
    {
        var session = new TmuxSession($"komlogd-{Guid.NewGuid():N}");
        await RunAsync("new-session", "-d", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s", session.Name, command).ConfigureAwait(false);
        return session;
    }

    /// <summary>The screen's text now.</summary>
    public string Capture()
    {
        using var p = Process.Start(new ProcessStartInfo("tmux", ["capture-pane", "-p", "-t", Name]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }

    public Task SendKeysAsync(string keys) => RunAsync("send-keys", "-t", Name, keys);

    private static async Task RunAsync(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("tmux", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await p.WaitForExitAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await RunAsync("kill-session", "-t", Name).ConfigureAwait(false);
}
