using System.Diagnostics.CodeAnalysis;
using System.Buffers;

namespace Komlogd.Sdk;

/// <summary>
/// The rules for metric uris, shared by the agent and by packages so both reject the same input with the
/// same words.
/// </summary>
/// <remarks>
/// A <em>local</em> uri is dotted levels of letters, digits, <c>-</c> and <c>_</c>, e.g.
/// <c>host.cpu.all_user</c>. A <em>global</em> uri prefixes a local one with a username and a colon,
/// e.g. <c>alice:host.cpu</c>. Both are at most <see cref="MaxLength"/> characters.
/// <example>
/// <code>
/// if (!Uris.TryValidate(uri, out var error)) Console.Error.WriteLine(error);
/// </code>
/// </example>
/// </remarks>
public static class Uris
{
    /// <summary>The longest uri accepted, in characters.</summary>
    public const int MaxLength = 256;

    /// <summary>The rule a local uri follows, as a regular expression.</summary>
    public const string LocalPattern = @"^([A-Za-z0-9\-_]+\.)*[A-Za-z0-9\-_]+$";

    /// <summary>
    /// The rule a username (the part of a global uri before the colon) follows: the original komlogd's, dotted
    /// levels of letters, digits, <c>-</c> and <c>_</c>, so a username valid there is valid here.
    /// </summary>
    public const string UsernamePattern = @"^([a-zA-Z0-9\-_]+\.)*[a-zA-Z0-9\-_]+$";

    private static readonly SearchValues<char> LevelChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// Both patterns above, checked without a regular expression: non-empty levels of <c>[A-Za-z0-9-_]</c> joined
    /// by single dots, the whole text (a final newline too, which a pattern's <c>$</c> would let through). Every
    /// sample's uri is checked in the agent and in each plugin host; a regex was System.Text.RegularExpressions
    /// and its types in both for this one rule (docs/benchmarks.md). <c>UrisTests</c> checks it against the
    /// patterns.
    /// </summary>
    private static bool IsLevels(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }
        foreach (var level in text.Split('.'))
        {
            if (level.Start.Equals(level.End) || text[level].ContainsAnyExcept(LevelChars))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when <paramref name="username"/> follows <see cref="UsernamePattern"/>.</summary>
    public static bool IsUsername([NotNullWhen(true)] string? username) => username is not null && IsLevels(username);

    /// <summary>True when <paramref name="uri"/> is a valid local uri.</summary>
    public static bool IsLocal([NotNullWhen(true)] string? uri) => TryValidateLocal(uri, out _);

    /// <summary>True when <paramref name="uri"/> is a valid global uri (<c>user:uri</c>).</summary>
    public static bool IsGlobal([NotNullWhen(true)] string? uri) =>
        uri is not null && uri.Contains(':', StringComparison.Ordinal) && TryValidate(uri, out _);

    /// <summary>
    /// Checks a local or global uri. On failure <paramref name="error"/> says which rule it breaks.
    /// </summary>
    public static bool TryValidate([NotNullWhen(true)] string? uri, [NotNullWhen(false)] out string? error)
    {
        if (uri is null)
        {
            error = "a uri is required";
            return false;
        }
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return TryValidateLocal(uri, out error);
        }
        if (uri.Length > MaxLength)
        {
            error = $"uri is {uri.Length} characters long; the limit is {MaxLength}";
            return false;
        }
        var user = uri[..colon];
        if (!IsLevels(user))
        {
            error = $"uri '{uri}': the username before ':' must match {UsernamePattern}";
            return false;
        }
        return TryValidateLocal(uri[(colon + 1)..], out error, uri);
    }

    /// <summary>Checks a local uri (no <c>user:</c> prefix).</summary>
    public static bool TryValidateLocal([NotNullWhen(true)] string? uri, [NotNullWhen(false)] out string? error) =>
        TryValidateLocal(uri, out error, uri);

    private static bool TryValidateLocal(string? uri, [NotNullWhen(false)] out string? error, string? shown)
    {
        if (string.IsNullOrEmpty(uri))
        {
            error = shown is null || shown.Length == 0 ? "uri is empty" : $"uri '{shown}' has nothing after ':'";
            return false;
        }
        if (uri.Length > MaxLength)
        {
            error = $"uri is {uri.Length} characters long; the limit is {MaxLength}";
            return false;
        }
        if (uri[0] == '.')
        {
            error = $"uri '{shown}' starts with a dot; a uri is levels of [A-Za-z0-9-_] joined by single dots";
            return false;
        }
        if (!IsLevels(uri))
        {
            error = $"uri '{shown}' must be levels of [A-Za-z0-9-_] joined by single dots ({LocalPattern})";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the broken rule when the uri is not valid.</summary>
    public static string Validate(string? uri, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(uri))] string? paramName = null)
    {
        if (!TryValidate(uri, out var error))
        {
            throw new ArgumentException(error, paramName);
        }
        return uri;
    }
}
