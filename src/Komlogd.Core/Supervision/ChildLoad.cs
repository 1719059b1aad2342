namespace Komlogd.Core.Supervision;

/// <summary>What a child said when asked to load its venv's packages.</summary>
/// <param name="Pid">The child's process id.</param>
/// <param name="Packages">Every package of the venv, loaded or not.</param>
public sealed record ChildLoad(int Pid, IReadOnlyList<PackageLoad> Packages)
{
    /// <summary>Every package loaded (and there is at least one).</summary>
    public bool Ok => Packages.Count > 0 && Packages.All(p => p.Error is null);

    /// <summary>A package failed in a way that starting again cannot mend.</summary>
    public bool FailedPermanently => Packages.Any(p => p.Error is not null && p.Permanent);

    /// <summary>The failed packages' errors, one line.</summary>
    public string Errors => string.Join("; ", Packages.Where(p => p.Error is not null).Select(p => $"{p.Name}: {p.Error}"));
}

/// <summary>One package of a venv as its child loaded it.</summary>
/// <param name="Name">Package id.</param>
/// <param name="Version">Resolved version.</param>
/// <param name="Error">Null when loaded; else one line: why not.</param>
/// <param name="Permanent">The error is in what was installed: restarting cannot help.</param>
public sealed record PackageLoad(string Name, string Version, string? Error, bool Permanent = false);
