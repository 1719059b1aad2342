using System.Reflection;

namespace Komlogd.TestKit;

/// <summary>Where the repository and this build's outputs are.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the tests run against the build they were built with.</summary>
    public static string Configuration { get; } =
        typeof(Repo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string KomlogdDll => Output("src/Komlogd.Core", "komlogd.dll");

    /// <summary>The plugin host this build's agent starts (its ReadyToRun copy in host/).</summary>
    public static string HostDll => Komlogd.Core.Supervision.PluginHostLauncher.DefaultHostDll(System.IO.Path.GetDirectoryName(KomlogdDll)!);

    public static string Output(string project, string file) =>
        System.IO.Path.Combine(Root, project, "bin", Configuration, "net10.0", file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Komlogd.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Komlogd.sln not found above " + AppContext.BaseDirectory);
    }
}
