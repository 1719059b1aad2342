namespace Komlogd.Core.Store;

/// <summary>
/// The agent user's own global uris: <c>alice:host.load</c>, where alice is the configured username, is the
/// metric <c>host.load</c>, for writes, reads and subscriptions, as the original compared metrics by their
/// global uri (the username part lower-cased). Other users' global uris stay as they are: metrics of their own.
/// </summary>
/// <param name="username">The configured username; null (unset) maps nothing.</param>
public sealed class OwnUris(string? username)
{
    /// <summary>Maps nothing: a store or hub opened without a configuration (tests, benchmarks).</summary>
    public static readonly OwnUris None = new(null);

    /// <summary>The configured username, or null.</summary>
    public string? Username { get; } = username;

    /// <summary><c>user:x</c> as <c>x</c> when user is the configured username; any other uri as it is.</summary>
    public string Local(string uri)
    {
        if (Username is not { Length: > 0 } me || uri.Length <= me.Length || uri[me.Length] != ':')
        {
            return uri;
        }
        return uri.StartsWith(me, StringComparison.OrdinalIgnoreCase) ? uri[(me.Length + 1)..] : uri;
    }
}
