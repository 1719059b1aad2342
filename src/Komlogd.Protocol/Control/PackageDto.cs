namespace Komlogd.Protocol.Control;

/// <summary>One package of a venv in <see cref="VenvStatusDto"/>.</summary>
/// <param name="Name">Package id.</param>
/// <param name="Version">Resolved version.</param>
/// <param name="Error">Why it did not load, or null.</param>
public sealed record PackageDto(string Name, string Version, string? Error);
