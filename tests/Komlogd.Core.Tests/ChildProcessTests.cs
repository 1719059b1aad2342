using Komlogd.Core.Supervision;

namespace Komlogd.Core.Tests;

/// <summary>
/// The agent's children started with <c>posix_spawnp</c> (<see cref="ChildProcess"/>), as <c>Process.Start</c>
/// started them: real processes (sh, cat, sleep), their pipes, exits, signals and descriptors.
/// </summary>
public sealed class ChildProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OutputErrorsAndTheExitCodeComeBack()
    {
        var child = ChildProcess.Start(Shell("echo out; echo err >&2; exit 3"));

        Assert.Equal("out\n", await ReadAll(child.StandardOutput));
        Assert.Equal("err\n", await ReadAll(child.StandardError));
        Assert.Equal(3, await child.Exited.WaitAsync(Generous));
        Assert.True(child.HasExited);
        Assert.Null(child.StandardInput);
    }

    [Fact]
    public async Task StdinIsAPipeWhoseCloseIsTheChildsEndOfInput()
    {
        var start = new ChildStart("cat") { RedirectStandardInput = true };
        var child = ChildProcess.Start(start);

        await child.StandardInput!.WriteAsync("line\n"u8.ToArray());
        await child.StandardInput.DisposeAsync();

        Assert.Equal("line\n", await ReadAll(child.StandardOutput));
        Assert.Equal(0, await child.Exited.WaitAsync(Generous));
    }

    [Fact]
    public async Task TheEnvironmentAndTheWorkingDirectoryAreTheStartsOwn()
    {
        using var dir = new TempDir();
        var start = new ChildStart("sh") { WorkingDirectory = dir.Path };
        start.ArgumentList.AddRange(["-c", "echo \"$KOMLOGD_CHILD_TEST\"; pwd; echo \"${HOME-unset}\""]);
        start.Environment["KOMLOGD_CHILD_TEST"] = "ü and spaces";
        start.Environment["HOME"] = null;

        var child = ChildProcess.Start(start);

        Assert.Equal($"ü and spaces\n{dir.Path}\nunset\n", await ReadAll(child.StandardOutput));
        Assert.Equal(0, await child.Exited.WaitAsync(Generous));
    }

    [Fact]
    public async Task NoSignalIsIgnoredOrBlockedInTheChild()
    {
        // The runtime ignores SIGPIPE in this process: a child that inherited that would not die writing to a closed pipe.
        var child = ChildProcess.Start(new ChildStart("cat") { ArgumentList = { "/proc/self/status" } });

        var status = (await ReadAll(child.StandardOutput)).Split('\n');

        // Signal N is bit N - 1. glibc's posix_spawn leaves its own two internal signals (32, 33) ignored in the
        // child, which a glibc program's start handles again itself: every signal a program can use is at its default.
        Assert.Equal(0UL, Mask(status, "SigIgn") & ~(0b11UL << 31));
        Assert.Equal(0UL, Mask(status, "SigBlk"));
        Assert.Equal(0, await child.Exited.WaitAsync(Generous));
    }

    [Fact]
    public async Task TheChildHoldsEachOfItsPipesOnceAsAStandardDescriptor()
    {
        var child = ChildProcess.Start(new ChildStart("sleep") { ArgumentList = { "60" }, RedirectStandardInput = true });
        try
        {
            var ours = new[] { child.StandardInput!, child.StandardOutput, child.StandardError }
                .Select(s => Link($"/proc/self/fd/{s.SafeFileHandle.DangerousGetHandle()}")).ToList();
            var theirs = Directory.GetFiles($"/proc/{child.Id}/fd").ToDictionary(fd => int.Parse(Path.GetFileName(fd)), Link);

            foreach (var pipe in ours)
            {
                Assert.StartsWith("pipe:[", pipe, StringComparison.Ordinal);
                var held = theirs.Where(fd => fd.Value == pipe).Select(fd => fd.Key).ToList();
                Assert.True(held.Count == 1 && held[0] <= 2, $"{pipe} held as {string.Join(", ", held)}");
            }
        }
        finally
        {
            _ = Signals.Send(child.Id, Signals.SIGKILL);
        }
        Assert.Equal(128 + Signals.SIGKILL, await child.Exited.WaitAsync(Generous));
    }

    [Fact]
    public void AFileThatIsNotThereIsOneLineNamingIt()
    {
        var e = Assert.Throws<IOException>(() => ChildProcess.Start(new ChildStart("/nonexistent/komlogd-child")));

        Assert.Equal("cannot start /nonexistent/komlogd-child: No such file or directory", e.Message);
    }

    [Fact]
    public void AStartThatFailsIsTheUsersOneLineSayingWhatTheChildWasFor()
    {
        var e = Assert.Throws<KomlogdException>(() => ChildProcess.Start(new ChildStart("/nonexistent/komlogd-child"), "venv default: the plugin host /x/host.dll"));

        Assert.Equal("venv default: the plugin host /x/host.dll: cannot start /nonexistent/komlogd-child: No such file or directory", e.Message);
        Assert.Equal(ExitCodes.Failure, e.ExitCode);
    }

    [Fact]
    public async Task KillTreeKillsTheChildAndWhatLeftItsGroup()
    {
        // A grandchild in the group, and one that left it for a session of its own (as a daemon does).
        var child = ChildProcess.Start(Shell("sleep 61 & setsid sleep 62 & echo started; wait"));
        Assert.Equal("started", await new StreamReader(child.StandardOutput).ReadLineAsync().WaitAsync(Generous));
        var grandchildren = await Eventually.WaitAsync(() => Descendants(child.Id) is { Count: 2 } d ? d : null, "two sleeps started");

        Signals.KillTree(child.Id);

        Assert.Equal(128 + Signals.SIGKILL, await child.Exited.WaitAsync(Generous));
        await Eventually.WaitAsync(() => grandchildren.All(p => !Alive(p)), "both sleeps gone");
    }

    private static ulong Mask(string[] status, string name) =>
        ulong.Parse(status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim(), System.Globalization.NumberStyles.HexNumber);

    private static ChildStart Shell(string script) => new("sh") { ArgumentList = { "-c", script } };

    private static Task<string> ReadAll(Stream pipe) => new StreamReader(pipe).ReadToEndAsync().WaitAsync(Generous);

    private static string Link(string path) => new FileInfo(path).LinkTarget ?? "";

    private static List<int> Descendants(int pid) =>
        [.. Directory.GetDirectories($"/proc/{pid}/task")
            .SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)];

    /// <summary>Running, not a zombie waiting for its (re)parent to reap it.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
