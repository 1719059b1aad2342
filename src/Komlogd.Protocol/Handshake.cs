namespace Komlogd.Protocol;

/// <summary>
/// How the agent starts a plugin host: the environment variables it sets for its child (docs/protocol.md,
/// "Handshake"). Change the contract and bump <see cref="Version"/>: the host refuses another version.
/// </summary>
public static class Handshake
{
    /// <summary>Without this cookie the host refuses to run: it is not a program to run by hand.</summary>
    public const string CookieName = "KOMLOGD_PLUGIN_COOKIE";

    /// <summary>The cookie's value.</summary>
    public const string CookieValue = "5f1d3a0c-komlogd-plugin-host";

    /// <summary>The variable carrying <see cref="Version"/>.</summary>
    public const string ProtocolVersionName = "KOMLOGD_PROTOCOL_VERSION";

    /// <summary>Optional: the file for the host's start-up JIT profile; one per venv.</summary>
    public const string JitProfileName = "KOMLOGD_HOST_JIT_PROFILE";

    /// <summary>
    /// The protocol's version. 5: a <see cref="SampleBatch"/> carries its datasources' <c>supplies</c>
    /// (<see cref="SampleBatch.Supplies"/>, null kept distinct from empty); 4: a <see cref="SampleBatch"/> names the run that wrote it
    /// (<see cref="SampleBatch.Run"/>), <c>samples.updated</c> carries that run back to its own host as a
    /// second parameter, and the agent may ask the host for its <c>runs</c> (<see cref="RunStats"/>);
    /// 3: a package's load error says whether it is permanent (<see cref="PackageInfo.Permanent"/>);
    /// 2: <c>samples.insert</c> carries a <see cref="SampleBatch"/>.
    /// </summary>
    public const int Version = 5;
}
