using NuGet.Versioning;

namespace Komlogd.Core.Installation;

/// <summary>
/// One source of an <c>install:</c> line (a line may hold several, all going into the block's venv, as
/// <c>pip install a b</c>): what it is and where it is.
/// </summary>
/// <param name="Text">The source word as written (<c>Kpack.Linux==0.3.0</c>, <c>./kpack.tar.gz</c>).</param>
/// <param name="Kind">What the source is.</param>
/// <param name="Location">The package id (NuGet), a full path (nupkg, archive, directory) or a URL (git
/// without <c>git+</c>, archive).</param>
/// <param name="Versions">NuGet only: the allowed versions (its own <c>==version</c>); null for the newest.</param>
/// <param name="GitRef">Git only: the tag, branch or commit after <c>@</c>; null for the default branch.</param>
public sealed record InstallSource(string Text, SourceKind Kind, string Location, VersionRange? Versions, string? GitRef)
{
    /// <summary>A zip or tar.gz archive.</summary>
    public bool IsArchive => Kind is SourceKind.Zip or SourceKind.TarGz;
}
