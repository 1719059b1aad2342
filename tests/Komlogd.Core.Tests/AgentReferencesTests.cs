using CliWrap;
using CliWrap.Buffered;

namespace Komlogd.Core.Tests;

/// <summary>
/// The agent and its plugin host share only the wire contract (Komlogd.Protocol): the agent starts the host
/// it finds in host/, and never links against it (docs/protocol.md, "Handshake").
/// </summary>
public sealed class AgentReferencesTests
{
    [Fact]
    public async Task TheAgentProjectReferencesNoPluginHost()
    {
        var result = await CliWrap.Cli.Wrap("dotnet")
            .WithArguments(["list", Path.Combine(Repo.Root, "src", "Komlogd.Core"), "reference"])
            .WithEnvironmentVariables(e => e.Set("DOTNET_CLI_TELEMETRY_OPTOUT", "1").Set("DOTNET_NOLOGO", "1"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("Komlogd.Protocol.csproj", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("PluginHost", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAgentAssemblyReferencesTheProtocolAndNotTheHost()
    {
        var references = typeof(Agent.AgentHost).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Komlogd.Protocol", references);
        Assert.DoesNotContain("Komlogd.PluginHost", references);
        Assert.True(File.Exists(Repo.HostDll), $"the build publishes the host the agent starts: {Repo.HostDll}");
    }

    [Fact]
    public void TheProtocolReferencesNothingOfOurs()
    {
        var references = typeof(Protocol.Handshake).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", $"Komlogd.Protocol references {name}"));
    }
}
