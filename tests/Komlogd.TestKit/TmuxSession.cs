using System.Diagnostics;

namespace Komlogd.TestKit;

/// <summary>
/// A command in a real pseudo-terminal: a tmux session on a tmux server of its own (-L), so tests running
/// at once, or anybody else's tmux, never meet. Keys are typed with send-keys (C-c is the terminal's
/// interrupt, sent by the line discipline to the foreground process group); the screen is read with
/// capture-pane. Disposing kills the server and whatever still runs in it.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private readonly string _server = $"komlogd-{Guid.NewGuid():N}";

    private TmuxSession()
    {
    }

    /// <summary>Starts <paramref name="command"/> (run by tmux's shell) in a detached session of this size.</summary>
    public static Task<TmuxSession> StartAsync(string command, int width = 80, int height = 24) => StartAsync([command], width, height);

    /// <summary>
    /// Starts a program with these arguments in a detached session; with two or more words tmux runs it
    /// directly, with no shell between the terminal and it.
    /// </summary>
    public static async Task<TmuxSession> StartAsync(IReadOnlyList<string> command, int width = 80, int height = 24)
    {
        var session = new TmuxSession();
        await session.RunAsync(["new-session", "-d", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s", "main", .. command]).ConfigureAwait(false);
        return session;
    }

    /// <summary>What the terminal shows (wrapped lines joined), with up to <paramref name="history"/> lines scrolled off above it.</summary>
    public string Capture(int history = 0)
    {
        using var p = Process.Start(Psi(["capture-pane", "-p", "-J", "-t", "main", "-S", (-history).ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }

    /// <summary>Types keys in tmux's names: "r", "C-c", "Enter".</summary>
    public Task SendKeysAsync(params string[] keys) => RunAsync(["send-keys", "-t", "main", .. keys]);

    private async Task RunAsync(params string[] args)
    {
        using var p = Process.Start(Psi(args))!;
        await p.WaitForExitAsync().ConfigureAwait(false);
    }

    private ProcessStartInfo Psi(string[] args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-L", _server, .. args])
        {
            psi.ArgumentList.Add(a);
        }
        return psi;
    }

    public async ValueTask DisposeAsync() => await RunAsync("kill-server").ConfigureAwait(false);
}
