namespace Kpack.Linux;

/// <summary>A host to collect: the local machine (no ssh) or a remote one reached by <see cref="Ssh"/>.</summary>
/// <param name="Name">The host's uri level (already made uri-safe).</param>
/// <param name="Ssh">The ssh command as an argument list (<c>["ssh", "-o", "BatchMode=yes", "alice@web1"]</c>), or null for the local machine.</param>
internal sealed record HostSettings(string Name, IReadOnlyList<string>? Ssh);
