namespace Komlogd.Core.Installation;

/// <summary>
/// How git reaches <c>git+ssh://</c> sources: with the agent's own key (<c>key.priv</c>, or <c>keyfile</c>),
/// as the original komlogd did, but with the server's host key checked against the user's
/// <c>~/.ssh/known_hosts</c> (the original turned the check off). <c>BatchMode</c>: nothing can type a
/// password or answer a prompt. Guarded by GitSshInstallTests (a real sshd started by the test).
/// </summary>
internal static class GitSsh
{
    /// <summary>What ssh says when the host's key is unknown or differs.</summary>
    public const string HostKeyFailure = "Host key verification failed.";

    /// <summary>
    /// The <c>GIT_SSH_COMMAND</c> for the key <paramref name="privateKey"/>. git runs it through the shell,
    /// so each path is single-quoted. <c>~</c> is the <c>HOME</c> komlogd runs with (ssh itself would take
    /// the home directory of the user's passwd entry).
    /// </summary>
    public static string Command(string privateKey) =>
        $"ssh -i {Quote(privateKey)} -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile={Quote(KnownHostsFile)}";

    /// <summary>The user's known_hosts: <c>$HOME/.ssh/known_hosts</c>.</summary>
    public static string KnownHostsFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");

    /// <summary>The hint for a host whose key is not known: the <c>ssh-keyscan</c> line that adds it.</summary>
    public static string HowToAddHostKey(string url)
    {
        var (host, port) = HostAndPort(url);
        return $"check the host's key and add it to {KnownHostsFile}, e.g. ssh-keyscan {(port is null ? "" : $"-p {port} ")}{host} >> {KnownHostsFile}";
    }

    /// <summary>The host and port of <c>ssh://[user@]host[:port]/path</c>.</summary>
    internal static (string Host, string? Port) HostAndPort(string url)
    {
        var rest = url.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) ? url[6..] : url;
        var authority = rest.Split('/')[0];
        authority = authority[(authority.LastIndexOf('@') + 1)..];
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? (authority, null) : (authority[1..close], authority.Length > close + 2 ? authority[(close + 2)..] : null);
        }
        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (authority, null) : (authority[..colon], authority[(colon + 1)..]);
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
