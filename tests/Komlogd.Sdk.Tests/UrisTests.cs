using Komlogd.Sdk;

namespace Komlogd.Sdk.Tests;

public sealed class UrisTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("host.occupation")]
    [InlineData("pkg.kpack_linux.host-1.system.resources.cpu")]
    [InlineData("A.B.C_1-2")]
    [InlineData("alice:host.cpu")]
    [InlineData("a.b-c.d_e:x")]
    [InlineData("Alice:x")]
    public void ValidUrisPass(string uri) => Assert.True(Uris.TryValidate(uri, out var error), error);

    [Fact]
    public void AUriOfExactly256CharactersPasses() => Assert.True(Uris.IsLocal(new string('a', 256)));

    [Theory]
    [InlineData("", "uri is empty")]
    [InlineData(".a", "uri '.a' starts with a dot; a uri is levels of [A-Za-z0-9-_] joined by single dots")]
    [InlineData("a..b", "uri 'a..b' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$)")]
    [InlineData("a.", "uri 'a.' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$)")]
    [InlineData("a b", "uri 'a b' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$)")]
    [InlineData("naïve.uri", "uri 'naïve.uri' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$)")]
    [InlineData("a\n", "uri 'a\n' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$)")]
    [InlineData("a..b:x", "uri 'a..b:x': the username before ':' must match ^([a-zA-Z0-9\\-_]+\\.)*[a-zA-Z0-9\\-_]+$")]
    [InlineData(":x", "uri ':x': the username before ':' must match ^([a-zA-Z0-9\\-_]+\\.)*[a-zA-Z0-9\\-_]+$")]
    [InlineData("alice:", "uri 'alice:' has nothing after ':'")]
    [InlineData("alice:.x", "uri 'alice:.x' starts with a dot; a uri is levels of [A-Za-z0-9-_] joined by single dots")]
    [InlineData("a:b:c", "uri 'a:b:c' must be levels of [A-Za-z0-9-_] joined by single dots (^([A-Za-z0-9\\-_]+\\.)*[A-Za-z0-9\\-_]+$)")]
    public void InvalidUrisSayWhichRuleTheyBreak(string uri, string expected)
    {
        Assert.False(Uris.TryValidate(uri, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void AUriOver256CharactersIsRefusedWithTheLimit()
    {
        Assert.False(Uris.TryValidate(new string('a', 257), out var error));
        Assert.Equal("uri is 257 characters long; the limit is 256", error);
    }

    [Fact]
    public void ValidateThrowsWithTheRuleAndTheParameterName()
    {
        var bad = "..";
        var e = Assert.Throws<ArgumentException>(() => Uris.Validate(bad));
        Assert.Equal("bad", e.ParamName);
        Assert.StartsWith("uri '..' starts with a dot", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The original komlogd's rule: <c>^([a-zA-Z0-9\-_]+\.)*[a-zA-Z0-9\-_]+$</c>.</summary>
    [Theory]
    [InlineData("alice", true)]
    [InlineData("Alice", true)]
    [InlineData("alice.smith", true)]
    [InlineData("ops-team_2.EU", true)]
    [InlineData("a.b.c", true)]
    [InlineData(".alice", false)]
    [InlineData("alice.", false)]
    [InlineData("a..b", false)]
    [InlineData("alice smith", false)]
    [InlineData("alice\n", false)]
    [InlineData("", false)]
    public void UsernamesFollowTheOriginalsRule(string username, bool valid) => Assert.Equal(valid, Uris.IsUsername(username));

    [Fact]
    public void GlobalAndLocalAreTold()
    {
        Assert.True(Uris.IsGlobal("alice:a.b"));
        Assert.False(Uris.IsGlobal("a.b"));
        Assert.True(Uris.IsLocal("a.b"));
        Assert.False(Uris.IsLocal("alice:a.b"));
    }
}
