using Komlogd.Core.Configuration;

namespace Komlogd.Core.Installation;

/// <summary>
/// One block's package, fetched and ready to be referenced by the venv's project: a PackageReference
/// (<paramref name="ProjectPath"/> null) or a ProjectReference to a project copied into the venv's src/.
/// </summary>
/// <param name="From">Which source of the block's line it is.</param>
/// <param name="Id">Package id, or the project's name for project sources.</param>
/// <param name="Version">PackageReference version (exact, range or floating); null for projects.</param>
/// <param name="ProjectPath">Full path of the .csproj in the venv's src/, for project sources.</param>
/// <param name="Source">Where it came from, for the manifest and status (e.g. <c>git file:///r@v1 (3f2a…)</c>).</param>
/// <param name="Sha256">Hash of the fetched file (nupkg, zip), when there was one.</param>
/// <param name="Commit">The git commit checked out, for git sources.</param>
internal sealed record PackageRequest(
    PackageBlock Block,
    InstallSpec Spec,
    InstallSource From,
    string Id,
    string? Version,
    string? ProjectPath,
    string Source,
    string? Sha256,
    string? Commit);
