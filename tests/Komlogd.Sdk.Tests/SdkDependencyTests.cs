namespace Komlogd.Sdk.Tests;

public sealed class SdkDependencyTests
{
    // Komlogd.Sdk must never constrain which version of a library a package uses (docs/design.md, "SDK").
    [Fact]
    public void TheSdkReferencesNothingButTheFramework()
    {
        var references = typeof(Uris).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(
            name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"Komlogd.Sdk references {name}"));
    }
}
