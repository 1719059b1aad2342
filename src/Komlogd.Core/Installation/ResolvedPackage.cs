namespace Komlogd.Core.Installation;

/// <summary>A package a venv holds: a direct dependency of its generated project, as resolved.</summary>
/// <param name="Id">Package id (or project name for git, zip and directory sources).</param>
/// <param name="Version">The version NuGet resolved (the project's version for project sources).</param>
/// <param name="Source">Where it came from, e.g. <c>nuget Kpack.Linux [0.3.0]</c> or <c>git file:///r@v1 (commit)</c>.</param>
/// <param name="Block">The package block that asked for it.</param>
/// <param name="Sha512">NuGet's content hash of the package (from deps.json), for packages.</param>
/// <param name="Sha256">Hash of the fetched .nupkg or zip file, when there was one.</param>
/// <param name="Commit">The git commit built, for git sources.</param>
public sealed record ResolvedPackage(
    string Id,
    string Version,
    string Source,
    int Block,
    string? Sha512 = null,
    string? Sha256 = null,
    string? Commit = null);
