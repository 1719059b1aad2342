namespace Komlogd.Protocol;

/// <summary>The parameter of <c>initialize</c>.</summary>
/// <param name="ProtocolVersion">The agent's <see cref="Handshake.Version"/>.</param>
/// <param name="Venv">The venv's name (for logs).</param>
/// <param name="EntryAssembly">Full path of the venv's publish/Komlogd.Venv.dll.</param>
public sealed record InitializeRequest(int ProtocolVersion, string Venv, string EntryAssembly);
