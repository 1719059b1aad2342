using System.Text.RegularExpressions;

namespace Komlogd.Packaging.Tests;

/// <summary>
/// The package template as a package author meets it: the repo's template pack installed with dotnet new
/// (into a CLI home of the test's own, so the machine's template cache is untouched), a package made from it,
/// its unit tests run, then the agent installs it from its folder and runs both its transfer methods.
/// </summary>
public sealed partial class TemplateTests : IDisposable
{
    private readonly TempDir _dir = new("template");

    [Fact]
    public async Task APackageMadeFromTheTemplateBuildsPassesItsTestsAndRunsInTheAgent()
    {
        var cliHome = new Dictionary<string, string?> { ["DOTNET_CLI_HOME"] = _dir["cli-home"] };
        await Dotnet.RunAsync(["pack", Path.Combine(Repo.Root, "templates", "Komlogd.Templates.csproj"), "-o", _dir["pack"], "-nologo", "-nodeReuse:false"], Repo.Root);
        await Dotnet.RunAsync(["new", "install", Assert.Single(Directory.GetFiles(_dir["pack"], "*.nupkg"))], _dir.Path, cliHome);
        var home = Directory.CreateDirectory(_dir["home"]).FullName;
        var cli = new KomlogdCli(home);
        var sdkFeed = (await cli.RunAsync("sdk-feed")).Stdout.Trim();

        var created = await Dotnet.RunAsync(["new", "komlogd-package", "-n", "Acme.Load", "-o", _dir["src/Acme.Load"], "--sdk-feed", sdkFeed], _dir.Path, cliHome);

        Assert.Contains("was created successfully", created.Stdout, StringComparison.Ordinal);
        var project = _dir["src/Acme.Load"];
        Assert.True(File.Exists(Path.Combine(project, "Acme.Load.csproj")), created.ToString());
        Assert.Contains(sdkFeed, File.ReadAllText(Path.Combine(project, "nuget.config")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "README.md")));
        // Its tests, over the SDK's in-memory runtime. A packages folder of its own: NuGet would hand back any
        // Komlogd.Sdk 0.1.0 it cached before, whatever this build's is.
        var tested = await Dotnet.RunAsync(["test", Path.Combine(project, "Acme.Load.Tests")], project,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _dir["nuget"] }, TimeSpan.FromMinutes(10));
        Assert.Matches(PassedRegex(), tested.Stdout);

        // The agent builds it from its folder and runs it: the cron method on load, the on-update one after it.
        cli.WriteConfig($"- username: alice\n- package:\n    install: {project}\n    venv: acme\n");
        await using var agent = AgentProcess.Start(home);
        var log = Path.Combine(cli.ConfigDir, "log", "komlogd.log");
        try
        {
            await Eventually.WaitAsync(() =>
            {
                Assert.False(agent.HasExited, agent.Describe());
                return Has(cli, "Acme.Load.load.1m") && Has(cli, "Acme.Load.load.1m._anomaly");
            }, "the package's samples", TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {agent.Describe()}\nlog:\n{SharedFile.Read(log)}", e);
        }
        Assert.Contains("[acme] Acme.Load: Acme.Load loaded in venv acme", SharedFile.Read(log), StringComparison.Ordinal);
    }

    [Fact]
    public void TheTemplateReferencesThisBuildsSdkVersion()
    {
        // The template's Komlogd.Sdk version is written out in it; it must follow the repo's version.
        var version = Regex.Match(File.ReadAllText(Path.Combine(Repo.Root, "Directory.Build.props")), "<KomlogdVersion>(.*)</KomlogdVersion>").Groups[1].Value;
        var template = File.ReadAllText(Path.Combine(Repo.Root, "templates", "content", "komlogd-package", "MyPkg.csproj"));

        Assert.Contains($"<PackageReference Include=\"Komlogd.Sdk\" Version=\"{version}\" />", template, StringComparison.Ordinal);
    }

    private static bool Has(KomlogdCli cli, string uri) =>
        cli.RunAsync("data", "get", uri, "--count", "1").GetAwaiter().GetResult().Stdout.Trim().Length > 0;

    [GeneratedRegex(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+5,")]
    private static partial Regex PassedRegex();

    public void Dispose() => _dir.Dispose();
}
