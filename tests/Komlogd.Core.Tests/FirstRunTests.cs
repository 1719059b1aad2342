using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Komlogd.Core.Tests;

public sealed class FirstRunTests : IDisposable
{
    private readonly TempDir _home = new("firstrun");
    private KomlogdCli Cli => new(_home.Path);

    [Fact]
    public async Task FirstRunCreatesTheConfigDirTemplateKeysAndLogDirThenExitsWithTheOriginalMessage()
    {
        var result = await Cli.RunAsync();

        var dir = Cli.ConfigDir;
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Error initializing komlogd.\nSet username in configuration file.\nLog info: {dir}/log/komlogd.log\n",
            result.Stderr);
        Assert.Equal("", result.Stdout);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "key.priv")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(dir, "key.pub")));
        Assert.True(Directory.Exists(Path.Combine(dir, "log")));
        Assert.Contains("# - username: <username>", await File.ReadAllTextAsync(Cli.ConfigFile));

        var pem = await File.ReadAllTextAsync(Path.Combine(dir, "key.priv"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal); // PKCS#8, not PKCS#1
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        Assert.Equal(4096, rsa.KeySize);

        var (exponent, modulus) = ParseOpenSshRsa(await File.ReadAllTextAsync(Path.Combine(dir, "key.pub")));
        var p = rsa.ExportParameters(false);
        Assert.Equal(p.Exponent, exponent);
        Assert.Equal(p.Modulus, modulus);
    }

    [Fact]
    public async Task ASecondRunKeepsTheKeyAndSaysTheSameWhileUsernameIsUnset()
    {
        var first = await Cli.RunAsync();
        var key = await File.ReadAllTextAsync(Path.Combine(Cli.ConfigDir, "key.priv"));
        var pub = await File.ReadAllTextAsync(Path.Combine(Cli.ConfigDir, "key.pub"));

        var second = await Cli.RunAsync();

        Assert.Equal(1, second.ExitCode);
        Assert.Equal(first.Stderr, second.Stderr);
        Assert.Equal(key, await File.ReadAllTextAsync(Path.Combine(Cli.ConfigDir, "key.priv")));
        Assert.Equal(pub, await File.ReadAllTextAsync(Path.Combine(Cli.ConfigDir, "key.pub")));
    }

    [Fact]
    public async Task AMissingPublicKeyIsDerivedFromTheExistingPrivateKey()
    {
        await Cli.RunAsync();
        var pubFile = Path.Combine(Cli.ConfigDir, "key.pub");
        var pub = await File.ReadAllTextAsync(pubFile);
        File.Delete(pubFile);

        await Cli.RunAsync();

        Assert.Equal(pub, await File.ReadAllTextAsync(pubFile));
    }

    [Fact]
    public async Task APrivateKeyThatIsNotPemIsOneLineNamingItAndNothingIsReplaced()
    {
        await Cli.RunAsync();
        var privFile = Path.Combine(Cli.ConfigDir, "key.priv");
        var pubFile = Path.Combine(Cli.ConfigDir, "key.pub");
        await File.WriteAllTextAsync(privFile, "not a key\n");
        File.Delete(pubFile);

        var result = await Cli.RunAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith($"{privFile}: not a PEM RSA private key (", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal("not a key\n", await File.ReadAllTextAsync(privFile));
        Assert.False(File.Exists(pubFile));
    }

    [Fact]
    public async Task DashCNamingAFileThatDoesNotExistIsAnErrorAndInitCreatesOneOnPurpose()
    {
        var file = _home["elsewhere/agent.yaml"];

        // As the original: "File not found", exit 2, nothing created; the same for commands that only read
        // one and for -u (the file as given, relative or not).
        var run = await Cli.RunAsync("-c", file);
        var read = await Cli.RunAsync("data", "ls", "-c", "elsewhere/agent.yaml");
        var sample = await Cli.RunAsync(["-u", "a.b", "-c", file], stdin: "text");
        Assert.All([run, read, sample], r => Assert.Equal(2, r.ExitCode));
        Assert.Equal($"File not found: {file}", Assert.Single(run.ErrorLines));
        Assert.Equal("File not found: elsewhere/agent.yaml", Assert.Single(read.ErrorLines));
        Assert.Equal($"File not found: {file}", Assert.Single(sample.ErrorLines));
        Assert.False(Directory.Exists(_home["elsewhere"]));

        var init = await Cli.RunAsync("init", "-c", file);

        Assert.Equal(0, init.ExitCode);
        Assert.StartsWith($"{file}: created\n", init.Stdout, StringComparison.Ordinal);
        Assert.Contains("# - username: <username>", await File.ReadAllTextAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_home["elsewhere/key.priv"]));
        Assert.True(Directory.Exists(_home["elsewhere/log"]));
        var key = await File.ReadAllTextAsync(_home["elsewhere/key.priv"]);

        // Now it exists: its directory is the config dir, and the original's first-run message follows.
        run = await Cli.RunAsync("-c", file);
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith($"Log info: {_home["elsewhere/log/komlogd.log"]}\n", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Cli.ConfigDir));

        // init again keeps what is there.
        var again = await Cli.RunAsync("init", "-c", file);
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith($"{file}: exists, kept\n", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(key, await File.ReadAllTextAsync(_home["elsewhere/key.priv"]));
    }

    /// <summary>RFC 4253 §6.6: string "ssh-rsa", mpint e, mpint n.</summary>
    private static (byte[] Exponent, byte[] Modulus) ParseOpenSshRsa(string line)
    {
        var parts = line.Trim().Split(' ');
        Assert.Equal("ssh-rsa", parts[0]);
        var blob = Convert.FromBase64String(parts[1]);
        var offset = 0;
        byte[] Next()
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(blob.AsSpan(offset));
            var value = blob.AsSpan(offset + 4, length).ToArray();
            offset += 4 + length;
            return value;
        }
        Assert.Equal("ssh-rsa", Encoding.ASCII.GetString(Next()));
        var e = Next().SkipWhile(b => b == 0).ToArray();
        var n = Next().SkipWhile(b => b == 0).ToArray();
        Assert.Equal(blob.Length, offset);
        return (e, n);
    }

    public void Dispose() => _home.Dispose();
}
