namespace Kpack.Linux.Tests;

public class SettingsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kpack-settings-").FullName;

    public void Dispose()
    {
        Directory.Delete(dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private KpackSettings Read(string? json, Dictionary<string, string>? env = null)
    {
        var vars = new Dictionary<string, string>(env ?? [], StringComparer.Ordinal) { ["HOME"] = dir };
        if (json is not null)
        {
            var file = Path.Combine(dir, "settings.json");
            File.WriteAllText(file, json);
            vars[KpackSettings.FileVariable] = file;
        }
        return KpackSettings.Read(v => vars.GetValueOrDefault(v), "web1.example.com");
    }

    [Fact]
    public void WithoutAFileTheLocalMachineIsCollectedUnderPkgKpackLinux()
    {
        var s = Read(null);

        Assert.Equal("pkg.kpack_linux", s.BaseUri);
        Assert.Equal(SourceMode.Auto, s.Source);
        var host = Assert.Single(s.Hosts);
        Assert.Equal("web1.example.com", host.Name);
        Assert.Null(host.Ssh);
        Assert.Equal("pkg.kpack_linux.web1.example.com.system.resources", s.ResourcesUri(host));
        Assert.Null(s.File);
        Assert.Equal("* * * * *", s.Schedule.ToCronExpression());
        Assert.True(s.Schedule.ExecOnLoad);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Timeout);
    }

    [Fact]
    public void TheDefaultFileUnderDotConfigIsRead()
    {
        Directory.CreateDirectory(Path.Combine(dir, ".config", "kpack_linux"));
        File.WriteAllText(Path.Combine(dir, ".config", "kpack_linux", "settings.json"), """{ "source": "proc" }""");

        var s = KpackSettings.Read(v => v == "HOME" ? dir : null, "vm");

        Assert.Equal(SourceMode.Proc, s.Source);
    }

    [Fact]
    public void RemoteHostsAreSshArgumentLists()
    {
        var s = Read("""
            {
              // comments are fine
              "baseUri": "hosts.linux",
              "timeoutSeconds": 20,
              "hosts": [
                { "name": "db01", "ssh": ["ssh", "-o", "BatchMode=yes", "alice@db01"] },
                { "name": "web.2", "ssh": ["ssh", "web2"] },
              ]
            }
            """);

        Assert.Equal(["web1.example.com", "db01", "web.2"], s.Hosts.Select(h => h.Name));
        Assert.Equal(["ssh", "-o", "BatchMode=yes", "alice@db01"], s.Hosts[1].Ssh);
        Assert.Equal("hosts.linux.db01.system.resources", s.ResourcesUri(s.Hosts[1]));
        Assert.Equal(TimeSpan.FromSeconds(20), s.Timeout);
    }

    [Fact]
    public void TheLocalMachineCanBeLeftOutAndRenamed()
    {
        Assert.Equal(["db01"], Read("""{ "local": false, "hosts": [{ "name": "db01", "ssh": ["ssh", "db01"] }] }""").Hosts.Select(h => h.Name));
        Assert.Equal("box", Assert.Single(Read(null, new() { [KpackSettings.HostnameVariable] = "box" }).Hosts).Name);
    }

    [Theory]
    [InlineData("""{ "minute": "*/5", "timeoutSeconds": 295 }""", "*/5 * * * *", 295)]
    [InlineData("""{ "timeoutSeconds": 100, "minute": "0,30" }""", "0,30 * * * *", 100)]
    [InlineData("""{ "minute": "7" }""", "7 * * * *", 30)]
    public void TheMinuteSetsTheScheduleAndBoundsTheTimeout(string json, string expression, int timeout)
    {
        var s = Read(json);

        Assert.Equal(expression, s.Schedule.ToCronExpression());
        Assert.Equal(TimeSpan.FromSeconds(timeout), s.Timeout);
    }

    [Theory]
    [InlineData("*", 1)]
    [InlineData("*/5", 5)]
    [InlineData("0,45", 15)]
    [InlineData("10-20/5,50", 5)]
    [InlineData("7", 60)]
    [InlineData("0-59/7", 4)]
    public void ThePeriodIsTheShortestGapBetweenRunsOverTheHour(string minute, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), CollectionMinute.Period(minute));
    }

    [Theory]
    [InlineData("db.example.org", "db.example.org")]
    [InlineData("db.example.org.", "db.example.org")]
    [InlineData("my host..lan", "my_host.lan")]
    [InlineData("web_1", "web_1")]
    public void AHostNameBecomesNestedLevels(string name, string levels)
    {
        Assert.Equal(levels, Assert.Single(Read(null, new() { [KpackSettings.HostnameVariable] = name }).Hosts).Name);
    }

    [Fact]
    public void AHostNameWithoutALetterOrDigitIsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Read(null, new() { [KpackSettings.HostnameVariable] = "..." }));

        Assert.Equal("kpack_linux settings: environment variable KPACK_LINUX_HOSTNAME: host name '...' has no letter or digit to make a uri level of", e.Message);
    }

    [Fact]
    public void TheEnvironmentOverridesTheSource()
    {
        Assert.Equal(SourceMode.Sar, Read("""{ "source": "proc" }""", new() { [KpackSettings.SourceVariable] = "sar" }).Source);
    }

    [Theory]
    [InlineData("""{ "baseUri": "a..b" }""", "baseUri: uri 'a..b'")]
    [InlineData("""{ "source": "iostat" }""", "'iostat' is not a source")]
    [InlineData("""{ "hosts": [{ "name": "db", "ssh": "ssh db" }] }""", "hosts[0]: ssh must be a list of strings")]
    [InlineData("""{ "hosts": [{ "name": "db" }] }""", "hosts[0]: ssh is required")]
    [InlineData("""{ "hosts": [{ "ssh": ["ssh", "db"] }] }""", "hosts[0]: name is required")]
    [InlineData("""{ "hosts": [{ "name": "web1.example.com.", "ssh": ["ssh", "x"] }] }""", "two hosts have the name 'web1.example.com'")]
    [InlineData("""{ "hosts": [{ "name": "--", "ssh": ["ssh", "x"] }] }""", "hosts[0]: host name '--' has no letter or digit")]
    [InlineData("""{ "minute": "*/0" }""", "minute: cron minute '*/0': step '0' is not a whole number of at least 1")]
    [InlineData("""{ "minute": "60" }""", "minute: cron minute '60': 60 is outside 0-59")]
    [InlineData("""{ "minute": 5 }""", "minute: cron minute is required")]
    [InlineData("""{ "timeoutSeconds": 4 }""", "timeoutSeconds must be a whole number from 5 to 55 (runs of minute '*' can be 1 minute(s) apart")]
    [InlineData("""{ "timeoutSeconds": 300, "minute": "*/5" }""", "timeoutSeconds must be a whole number from 5 to 295")]
    [InlineData("""{ "local": false }""", "nothing to collect")]
    [InlineData("""{ "interval": 5 }""", "unknown setting 'interval'")]
    [InlineData("""{ "timeoutSeconds": 120 }""", "timeoutSeconds must be")]
    [InlineData("""[1]""", "one JSON object")]
    [InlineData("""{ "source": """, "not valid JSON")]
    public void AWrongFileFailsWithItsNameAndTheRule(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Read(json));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("settings.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileNamedByTheEnvironmentMustExist()
    {
        var e = Assert.Throws<InvalidDataException>(() => KpackSettings.Read(v => v == KpackSettings.FileVariable ? "/nonexistent/kpack.json" : null, "vm"));

        Assert.Contains("KPACK_LINUX_SETTINGS names '/nonexistent/kpack.json'", e.Message, StringComparison.Ordinal);
    }
}
