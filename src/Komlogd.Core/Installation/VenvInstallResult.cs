namespace Komlogd.Core.Installation;

/// <summary>One venv after an install pass.</summary>
/// <param name="Name">The venv's name.</param>
/// <param name="Directory">Full path of <c>&lt;config dir&gt;/.venvs/&lt;name&gt;</c>.</param>
/// <param name="Outcome">Up to date, installed, or failed.</param>
/// <param name="Error">One line saying why, when <see cref="VenvInstallOutcome.Failed"/>; else null.</param>
/// <param name="Packages">The packages of the installed venv (empty when it failed and none was installed before).</param>
/// <param name="Elapsed">Time spent on this venv.</param>
public sealed record VenvInstallResult(
    string Name,
    string Directory,
    VenvInstallOutcome Outcome,
    string? Error,
    IReadOnlyList<ResolvedPackage> Packages,
    TimeSpan Elapsed)
{
    /// <summary>The generated library the plugin host starts from: <c>&lt;venv&gt;/publish/Komlogd.Venv.dll</c>.</summary>
    public string EntryAssembly => Path.Combine(Directory, "publish", VenvFiles.ProjectName + ".dll");

    /// <summary>Its dependency manifest: the host loads the direct dependencies of Komlogd.Venv in it.</summary>
    public string DepsFile => Path.Combine(Directory, "publish", VenvFiles.ProjectName + ".deps.json");

    /// <summary>Whether a complete install is in place (this one, or a previous one after a failure).</summary>
    public bool IsUsable => File.Exists(EntryAssembly) && File.Exists(Path.Combine(Directory, VenvManifest.FileName));
}
