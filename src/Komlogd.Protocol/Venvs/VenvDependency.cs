namespace Komlogd.Protocol.Venvs;

/// <summary>A direct dependency of a venv's generated library: one package of the venv.</summary>
/// <param name="Id">Package id or project name.</param>
/// <param name="Version">Resolved version.</param>
/// <param name="Sha512">NuGet's hash when it came from a package; null for a project.</param>
/// <param name="Assemblies">Its runtime assembly names (without .dll): where entry points are looked for.</param>
public sealed record VenvDependency(string Id, string Version, string? Sha512, IReadOnlyList<string> Assemblies);
