using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;

namespace Komlogd.Installer.Tests;

/// <summary>
/// A real OpenSSH server on a free 127.0.0.1 port, for git+ssh installs without a network: a host key of its
/// own, one authorized key, this user only, no passwords. Killed on dispose.
/// </summary>
public sealed class SshServer : IDisposable
{
    private readonly Process _sshd;
    private readonly System.Text.StringBuilder _log = new();

    private SshServer(Process sshd, int port, string authorizedKeys)
    {
        _sshd = sshd;
        Port = port;
        AuthorizedKeysFile = authorizedKeys;
    }

    /// <summary>sshd, or null where openssh-server is not installed (tests skip with a message).</summary>
    public static string? SshdPath =>
        new[] { "/usr/sbin/sshd", "/usr/bin/sshd", "/usr/local/sbin/sshd" }.FirstOrDefault(File.Exists);

    public int Port { get; }

    /// <summary>The keys let in; sshd reads it at each login, so a test may rewrite it between logins.</summary>
    public string AuthorizedKeysFile { get; }

    /// <summary>The user to log in as: whoever runs the test (an unprivileged sshd can serve no one else).</summary>
    public static string User => Environment.UserName;

    /// <summary>What sshd logged (-e), for a failing test's message.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts sshd with its files in <paramref name="dir"/>, letting in <paramref name="authorizedKey"/> (an OpenSSH public key line).</summary>
    public static async Task<SshServer> StartAsync(string dir, string authorizedKey)
    {
        var sshd = SshdPath ?? throw new InvalidOperationException("sshd is not installed");
        Directory.CreateDirectory(dir);
        var hostKey = Path.Combine(dir, "host_ed25519");
        await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", hostKey]).ExecuteBufferedAsync();
        var authorized = Path.Combine(dir, "authorized_keys");
        await File.WriteAllTextAsync(authorized, authorizedKey.Trim() + "\n");
        File.SetUnixFileMode(authorized, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Environment.UserName == "root" && !Directory.Exists("/run/sshd"))
        {
            // sshd started as root insists on its privilege separation dir, which the package's service makes.
            Directory.CreateDirectory("/run/sshd");
        }
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var config = Path.Combine(dir, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {hostKey}
            AuthorizedKeysFile {authorized}
            PidFile {Path.Combine(dir, "sshd.pid")}
            AllowUsers {User}
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            LogLevel VERBOSE

            """);
        var process = Process.Start(new ProcessStartInfo(sshd, ["-D", "-e", "-f", config])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var server = new SshServer(process, port, authorized);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await Eventually.WaitAsync(() => process.HasExited ? throw new InvalidOperationException($"sshd exited {process.ExitCode}: {server.Log}") : Accepts(port),
                $"sshd on port {port}", TimeSpan.FromSeconds(30));
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        if (!_sshd.HasExited)
        {
            _sshd.Kill(entireProcessTree: true);
            _sshd.WaitForExit(10_000);
        }
        _sshd.Dispose();
    }
}
