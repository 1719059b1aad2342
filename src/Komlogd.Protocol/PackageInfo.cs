namespace Komlogd.Protocol;

/// <summary>One package of a venv as the host loaded it, or failed to.</summary>
/// <param name="Name">Assembly name of the package.</param>
/// <param name="Version">Its informational (or assembly) version.</param>
/// <param name="Error">Null when loaded; else one line: why it did not load.</param>
/// <param name="Permanent">
/// True when the error is in what was installed (no entry point, an SDK newer than the host's, a bad
/// transfer-method declaration, an assembly that cannot load): starting again cannot help, so the agent
/// gives up at once. False for errors that may pass, such as a package's <c>LoadAsync</c> throwing.
/// </param>
public sealed record PackageInfo(string Name, string Version, string? Error, bool Permanent = false);
