using Komlogd.Core.Configuration;

namespace Komlogd.Core.Tests;

/// <summary>
/// Every configuration mistake gets one line naming the file, the line, the block and the rule; exit 2; no
/// stack trace. Rows run the real komlogd.
/// </summary>
public sealed class BadConfigTests : IDisposable
{
    private readonly TempDir _home = new("badconfig");

    /// <summary>The configuration, and the line komlogd must print after "&lt;file&gt;:". A trailing * matches any rest.</summary>
    public static TheoryData<string, string> Mistakes => new()
    {
        { "- username: alice\n- package: [unclosed\n", "3: YAML syntax error: *" },
        { "username: alice\n", "1: the top level must be a list of one-key maps, e.g. '- username: alice'" },
        { "just text\n", "1: the top level must be a list of one-key maps, e.g. '- username: alice'" },
        { "- username: alice\n- alice\n", "2: block 2: each item must be a map with exactly one key (username, keyfile, logging, package or export), e.g. '- username: alice'" },
        { "- username: alice\n  keyfile: k\n", "1: block 1: each item must be a map with exactly one key (username, keyfile, logging, package or export), e.g. '- username: alice'" },
        { "- user: alice\n", "1: block 1 'user': unknown block 'user'; expected one of username, keyfile, logging, package, export" },
        { "- username: alice\n- username: bob\n", "2: block 2 'username': More than one username found in configuration file. Keep only one." },
        { "- username: [a, b]\n", "1: block 1 'username': 'username' must be a non-empty text value, not a list" },
        { "- username:\n", "1: block 1 'username': 'username' must be a non-empty text value, not empty" },
        { "- username: Alice Smith\n", "1: block 1 'username': username 'Alice Smith' must match ^([a-zA-Z0-9\\-_]+\\.)*[a-zA-Z0-9\\-_]+$" },
        { "- username: alice.\n", "1: block 1 'username': username 'alice.' must match ^([a-zA-Z0-9\\-_]+\\.)*[a-zA-Z0-9\\-_]+$" },
        { "- username: a\n- keyfile: k1\n- keyfile: k2\n", "3: block 3 'keyfile': More than one keyfile found in configuration file. Keep only one." },
        { "- username: a\n- logging: loud\n", "2: block 2 'logging': 'logging' must be a map of level, rotation, max_bytes, backup_count, dirname, filename, format" },
        { "- username: a\n- logging:\n    level: LOUD\n", "3: block 2 'logging': level 'LOUD' must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG, NOTSET" },
        { "- username: a\n- logging:\n    max_bytes: lots\n", "3: block 2 'logging': 'max_bytes' must be a whole number ≥ 1 (got 'lots')" },
        { "- username: a\n- logging:\n    backup_count: -1\n", "3: block 2 'logging': 'backup_count' must be a whole number from 0 to 1000 (got '-1')" },
        { "- username: a\n- logging:\n    rotation: maybe\n", "3: block 2 'logging': 'rotation' must be yes, no, true or false (got 'maybe')" },
        { "- username: a\n- logging:\n    colour: yes\n", "3: block 2 'logging': unknown logging setting 'colour'; expected one of level, rotation, max_bytes, backup_count, dirname, filename, format" },
        { "- username: a\n- logging:\n    filename: ../x.log\n", "3: block 2 'logging': filename '../x.log' must be a file name, not a path (put the directory in 'dirname')" },
        { "- username: a\n- logging:\n    level: INFO\n- logging:\n    level: DEBUG\n", "4: block 3 'logging': More than one logging block found in configuration file. Keep only one." },
        { "- username: a\n---\n- username: b\n", "3: the file holds more than one YAML document; keep one list" },
        { "- username: a\n- package:\n    install: A\n    install: B\n", "4: YAML syntax error: *" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task AMistakeGetsOneLineNamingFileLineBlockAndRule(string yaml, string expected)
    {
        var cli = new KomlogdCli(_home.Path);
        cli.WriteConfig(yaml);

        var result = await cli.RunAsync();

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        if (expected.EndsWith('*'))
        {
            Assert.StartsWith($"{cli.ConfigFile}:{expected[..^1]}", line, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal($"{cli.ConfigFile}:{expected}", line);
        }
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> PackageMistakes => new()
    {
        { "- package:\n    enabled: yes\n", "2: block 2 'package': a package block needs 'install' (what to install, e.g. 'install: Kpack.Linux')" },
        { "- package:\n    install: A\n    enabled: maybe\n", "4: block 2 'package': 'enabled' must be yes, no, true or false (got 'maybe')" },
        { "- package:\n    install: A\n    venv: my venv\n", "4: block 2 'package': venv 'my venv' must be default, unique or a name of letters, digits, '_' and '-' (^[A-Za-z0-9_-]+$)" },
        { "- package:\n    install: A\n    venv: ../up\n", "4: block 2 'package': venv '../up' must be default, unique or a name of letters, digits, '_' and '-' (^[A-Za-z0-9_-]+$)" },
        { "- package: Kpack.Linux\n", "2: block 2 'package': 'package' must be a map with install, enabled and venv" },
        { "- package:\n    install: A\n    version: 2\n", "4: block 2 'package': unknown package setting 'version'; expected one of install, enabled, venv" },
        { "- package:\n    install: [A, B]\n", "3: block 2 'package': 'install' must be a non-empty text value, not a list" },
    };

    [Theory]
    [MemberData(nameof(PackageMistakes))]
    public void APackageMistakeDisablesOnlyThatBlock(string packageYaml, string expected)
    {
        var file = _home["komlogd.yaml"];
        var yaml = "- username: alice\n" + packageYaml + "- package:\n    install: Good.Package\n";

        var config = ConfigLoader.Parse(file, yaml);

        Assert.Equal($"{file}:{expected}", Assert.Single(config.PackageErrors).ToString());
        Assert.Equal("Good.Package", Assert.Single(config.Packages).Install);
        Assert.Equal("alice", config.Username);
    }

    [Fact]
    public void PackageBlocksGetTheirDefaultsAndKeepTheirPositions()
    {
        var config = ConfigLoader.Parse("/x/komlogd.yaml", """
            - username: alice
            - package:
                install: A==1.0
            - package:
                install: B
                enabled: no
                venv: unique
            - logging:
                level: debug
                rotation: false
            """);

        Assert.Equal([new PackageBlock(2, 2, "A==1.0", true, "default"), new PackageBlock(3, 4, "B", false, "unique")], config.Packages);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, config.Logging.Level);
        Assert.False(config.Logging.Rotation);
        Assert.Equal(10_000_000, config.Logging.MaxBytes);
        Assert.Equal("/x/log/komlogd.log", config.LogFile);
        Assert.Equal("/x/key.priv", config.PrivateKeyFile);
    }

    [Fact]
    public void AUsernameValidInTheOriginalIsValidHere()
    {
        Assert.Equal("Alice.Ops-2_eu", ConfigLoader.Parse("/x/k.yaml", "- username: Alice.Ops-2_eu\n").Username);
    }

    [Fact]
    public void AnEmptyOrCommentedFileIsAConfigWithoutUsername()
    {
        Assert.Null(ConfigLoader.Parse("/x/k.yaml", "").Username);
        Assert.Null(ConfigLoader.Parse("/x/k.yaml", ConfigTemplate.Text).Username);
    }

    [Fact]
    public async Task TheAgentRunsTheGoodBlocksAndLogsTheBadOneAsAnError()
    {
        var cli = new KomlogdCli(_home.Path);
        cli.WriteConfig("- username: alice\n- package:\n    enabled: maybe\n    install: A\n");
        await using var agent = AgentProcess.Start(_home.Path);
        var logFile = Path.Combine(cli.ConfigDir, "log", "komlogd.log");

        await Eventually.WaitAsync(() => File.Exists(logFile) && SharedFile.Read(logFile).Contains("Agent running", StringComparison.Ordinal), "the agent to run");
        agent.Signal(AgentProcess.SIGTERM);
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), agent.Describe());

        Assert.Equal(0, agent.ExitCode);
        Assert.Contains($"[ERR] Package disabled: {cli.ConfigFile}:3: block 2 'package': 'enabled' must be yes, no, true or false (got 'maybe')", SharedFile.Read(logFile), StringComparison.Ordinal);
        Assert.Contains(agent.StderrLines, l => l.Contains("'enabled' must be yes, no, true or false", StringComparison.Ordinal));
    }

    public void Dispose() => _home.Dispose();
}
