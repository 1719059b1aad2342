using System.Reflection;

namespace Komlogd.Core;

/// <summary>What this build of komlogd is.</summary>
public static class BuildInfo
{
    /// <summary>The version komlogd was built as (Directory.Build.props' KomlogdVersion), without a source revision.</summary>
    public static string Version { get; } =
        (typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
