namespace Komlogd.Core.Installation;

/// <summary>Where an <c>install:</c> spec takes its package from.</summary>
public enum SourceKind
{
    /// <summary>A package id on the configured feeds, e.g. <c>Kpack.Linux==0.3.0</c>.</summary>
    NuGet,
    /// <summary>A local <c>.nupkg</c> file.</summary>
    Nupkg,
    /// <summary><c>git+URL[@ref]</c>: a repository holding a package project.</summary>
    Git,
    /// <summary>A zip archive (URL or path) holding a package project.</summary>
    Zip,
    /// <summary>A gzip-compressed tar archive (<c>.tar.gz</c>, <c>.tgz</c>; URL or path) holding a package project.</summary>
    TarGz,
    /// <summary>A local directory holding a package project.</summary>
    Directory,
}
