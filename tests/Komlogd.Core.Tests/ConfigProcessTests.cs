using Komlogd.Core.Configuration;

namespace Komlogd.Core.Tests;

/// <summary>
/// The agent reads komlogd.yaml in a child komlogd (<see cref="ConfigProcess"/>): a real child, the same
/// binary, must give the records the in-process parse gives, field for field, and the same one-line mistakes.
/// </summary>
public sealed class ConfigProcessTests : IDisposable
{
    private readonly TempDir _dir = new("config-child");

    /// <summary>Every setting away from its default, a broken package block and a broken export block.</summary>
    private const string Full = """
        - username: alice
        - keyfile: keys/k.priv
        - logging:
            level: DEBUG
            rotation: no
            max_bytes: 12345
            backup_count: 7
            dirname: logs
            filename: agent.log
            format: '[%(levelname)s] %(asctime)s %(processName)s: %(message)s'
        - package:
            install: Kpack.Linux==1.2.3
            enabled: no
            venv: linux-2
        - package:
            install: ./local/pkg
            venv: unique
        - package:
            install: x
            colour: blue
        - export:
            prometheus_remote_write: https://prom.example:9090/api/v1/write
            bearer_token_file: token
            include: [host.*, pkg.kpack_linux.**]
            exclude: host.secret
            labels: {zone: b, env: "prod \"<&>\" ünï"}
            instance: web-1
            batch: 500
            timeout: 1500ms
            from: oldest
            ca_file: /etc/ssl/ca.pem
            cert_file: tls/c.pem
            key_file: tls/k.pem
        - export:
            prometheus_listen: '[::1]:9465'
        - export:
            prometheus_remote_write: http://other:9090/api/v1/write
            basic_auth: {username: bob, password_file: secrets/bob}
        - export:
            prometheus_remote_write: http://p/w
            batch: 0
        """;

    [Fact]
    public void TheChildGivesEveryFieldTheInProcessParseGives()
    {
        var file = Write(Full);

        var inProcess = ConfigLoader.Load(file);
        var fromChild = ConfigProcess.Load(file);

        // The fixture is not trivial: every list holds something and the settings are not the defaults.
        Assert.Equal((2, 1, 3, 1), (inProcess.Packages.Count, inProcess.PackageErrors.Count, inProcess.Exports.Count, inProcess.ExportErrors.Count));
        Assert.NotNull(inProcess.Logging.Format);
        Assert.Equal(inProcess.Logging.Format.Format, fromChild.Logging.Format?.Format);
        Assert.Equal(inProcess.Logging.Format.OutputTemplate, fromChild.Logging.Format?.OutputTemplate);
        Assert.Equivalent(WithoutFormat(inProcess), WithoutFormat(fromChild), strict: true);
        Assert.Equal(inProcess.Exports.Select(x => (x.File, x.Block, x.Line, x.Settings)), fromChild.Exports.Select(x => (x.File, x.Block, x.Line, x.Settings)));
    }

    [Fact]
    public void TheTemplateReadsTheSameThroughTheChild()
    {
        var file = Write(ConfigTemplate.Text);

        Assert.Equivalent(ConfigLoader.Load(file), ConfigProcess.Load(file), strict: true);
    }

    [Theory]
    [InlineData("- username: [a\n")]
    [InlineData("- username: a\n- logging:\n    level: LOUD\n")]
    [InlineData("- colour: blue\n")]
    public void AMistakeReadsAsTheSameOneLineFromTheChild(string yaml)
    {
        var file = Write(yaml);

        var inProcess = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));
        var fromChild = Assert.Throws<ConfigException>(() => ConfigProcess.Load(file));

        Assert.Equal(inProcess.Message, fromChild.Message);
        Assert.Equal(inProcess.Error, fromChild.Error);
        Assert.Equal(ExitCodes.Usage, fromChild.ExitCode);
    }

    [Fact]
    public void AMissingFileIsTheSameRefusalFromTheChild()
    {
        var file = _dir["gone/komlogd.yaml"];

        var inProcess = Assert.Throws<KomlogdException>(() => ConfigLoader.Load(file));
        var fromChild = Assert.Throws<KomlogdException>(() => ConfigProcess.Load(file));

        Assert.Equal($"File not found: {file}", fromChild.Message);
        Assert.Equal((inProcess.Message, inProcess.ExitCode), (fromChild.Message, fromChild.ExitCode));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"config\": 3}")]
    [InlineData("{\"something\": \"else\"}")]
    public void ALineThatIsNotTheChildsIsOneClearRefusal(string line)
    {
        var e = Assert.Throws<KomlogdException>(() => ConfigProcess.Read(line));

        Assert.StartsWith("the komlogd that read the configuration answered something else: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static KomlogdConfig WithoutFormat(KomlogdConfig c) => c with { Logging = c.Logging with { Format = null } };

    private string Write(string yaml)
    {
        var file = _dir["komlogd.yaml"];
        File.WriteAllText(file, yaml);
        return file;
    }

    public void Dispose() => _dir.Dispose();
}
