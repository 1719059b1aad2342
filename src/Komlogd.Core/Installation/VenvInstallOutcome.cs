namespace Komlogd.Core.Installation;

/// <summary>What an install did to one venv.</summary>
public enum VenvInstallOutcome
{
    /// <summary>The manifest matched the specs: nothing ran.</summary>
    UpToDate,
    /// <summary>Built and swapped into place.</summary>
    Installed,
    /// <summary>Not installed; <see cref="VenvInstallResult.Error"/> says why. A previous good install stays in place.</summary>
    Failed,
}
