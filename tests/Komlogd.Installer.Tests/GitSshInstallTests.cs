using CliWrap;
using CliWrap.Buffered;
using Komlogd.Core.Installation;

namespace Komlogd.Installer.Tests;

/// <summary>
/// git+ssh:// through a real sshd started by the test: the agent's own key (key.priv, PKCS#8 PEM) logs in, and
/// the server's host key is checked against the user's known_hosts, which the docs' ssh-keyscan line fills.
/// </summary>
public sealed class GitSshInstallTests : IDisposable
{
    private readonly Installs _t = new();

    [SkippableFact]
    public async Task InstallsOverSshWithTheAgentsKeyOnceTheHostKeyIsKnown()
    {
        Skip.If(SshServer.SshdPath is null, "sshd is not installed (apt-get install openssh-server; .ci/run does): git+ssh is not tested here");
        var repo = TestFeed.CopyPackage("TestPkg.Basic", _t["repo"]);
        var csproj = Path.Combine(repo, "TestPkg.Basic.csproj");
        File.WriteAllText(csproj, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(csproj), ">[0-9.]+</Version>", ">7.0.0</Version>"));
        await Installs.GitAsync(repo, "init", "--quiet");
        await Installs.GitAsync(repo, "add", "-A");
        await Installs.GitAsync(repo, "commit", "--quiet", "-m", "v1");
        await Installs.GitAsync(repo, "tag", "v1");
        var commit = await Installs.GitAsync(repo, "rev-parse", "v1");
        _t.Cli.WriteConfig("- username: tester\n");
        // Only the agent's public key may log in.
        using var sshd = await SshServer.StartAsync(_t["sshd"], File.ReadAllText(Path.Combine(_t.Cli.ConfigDir, "key.pub")));
        var spec = $"git+ssh://{SshServer.User}@127.0.0.1:{sshd.Port}{repo}@v1";
        _t.Configure((spec, "default"));
        var knownHosts = Path.Combine(_t.Home, ".ssh", "known_hosts");

        // An unknown host is refused, not trusted: one line saying how to add its key.
        var refused = await _t.Cli.RunAsync("install");

        Assert.True(refused.ExitCode == 1, $"{refused}\n{sshd.Log}");
        Assert.Equal($"venv default: block 2 '{spec}': git clone failed: ssh: {GitSsh.HostKeyFailure} (check the host's key and add it to {knownHosts}, "
            + $"e.g. ssh-keyscan -p {sshd.Port} 127.0.0.1 >> {knownHosts})", Assert.Single(refused.ErrorLines));

        // The documented way to trust it.
        var scan = await Cli.Wrap("ssh-keyscan").WithArguments(["-p", sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.Contains("ssh-ed25519", scan.StandardOutput, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(knownHosts)!);
        await File.AppendAllTextAsync(knownHosts, scan.StandardOutput);

        // A server that does not know the agent's key: ssh's own reason, not git's "could not read".
        var agentKey = await File.ReadAllTextAsync(sshd.AuthorizedKeysFile);
        await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", _t["other_key"]]).ExecuteBufferedAsync();
        await File.WriteAllTextAsync(sshd.AuthorizedKeysFile, await File.ReadAllTextAsync(_t["other_key.pub"]));
        var denied = await _t.Cli.RunAsync("install");
        Assert.True(denied.ExitCode == 1, $"{denied}\n{sshd.Log}");
        Assert.Equal($"venv default: block 2 '{spec}': git clone failed: ssh: {SshServer.User}@127.0.0.1: Permission denied (publickey).", Assert.Single(denied.ErrorLines));
        await File.WriteAllTextAsync(sshd.AuthorizedKeysFile, agentKey);

        var installed = await _t.Cli.RunAsync("install");

        Assert.True(installed.ExitCode == 0, $"{installed}\n{sshd.Log}");
        var manifest = VenvManifest.TryRead(Path.Combine(_t.VenvsDir, "default"))!;
        var package = Assert.Single(manifest.Packages);
        Assert.Equal(("TestPkg.Basic", "7.0.0", commit), (package.Id, package.Version, package.Commit));
        Assert.Contains($"Accepted publickey for {SshServer.User}", sshd.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh://git@git.example.org/org/kpack.git", "git.example.org", null)]
    [InlineData("ssh://root@127.0.0.1:2222/srv/repo", "127.0.0.1", "2222")]
    [InlineData("ssh://[::1]:2200/srv/repo", "::1", "2200")]
    public void TheHintNamesTheHostAndPortToScan(string url, string host, string? port)
    {
        Assert.Equal((host, port), GitSsh.HostAndPort(url));
    }

    [Fact]
    public async Task TheSshCommandReachesSshAsSeparateWordsWhateverThePathHolds()
    {
        // git runs GIT_SSH_COMMAND through sh, as this does.
        var key = "/home/o'brien/my keys/$HOME/key.priv";
        var words = await Cli.Wrap("sh").WithArguments(["-c", "eval \"set -- $GIT_SSH_COMMAND\"; printf '%s\\n' \"$@\""])
            .WithEnvironmentVariables(e => e.Set("GIT_SSH_COMMAND", GitSsh.Command(key))).ExecuteBufferedAsync();

        Assert.Equal(["ssh", "-i", key, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", $"UserKnownHostsFile={GitSsh.KnownHostsFile}"],
            words.StandardOutput.TrimEnd('\n').Split('\n'));
    }

    public void Dispose() => _t.Dispose();
}
