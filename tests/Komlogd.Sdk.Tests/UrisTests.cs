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

    /// <summary>
    /// The check without a regular expression says what the documented patterns say (with <c>\z</c> for their
    /// <c>$</c>: a final newline is not allowed), over every text of up to 4 characters from an alphabet of the
    /// interesting ones and a set of longer ones.
    /// </summary>
    [Fact]
    public void TheCheckAgreesWithThePatternsOnEveryShortTextAndTheAwkwardLongOnes()
    {
        var local = new System.Text.RegularExpressions.Regex(Uris.LocalPattern[..^1] + @"\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        var username = new System.Text.RegularExpressions.Regex(Uris.UsernamePattern[..^1] + @"\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        char[] alphabet = ['a', 'Z', '0', '-', '_', '.', ' ', '\n', 'ü', '*', '\u0130'];
        var texts = new List<string> { "", new('a', Uris.MaxLength), new string('a', 100) + "." + new string('b', 100), "a.b.c.d.e.f", "\u212A", "a\r", "\ta", "a.-._" };
        void Grow(string prefix)
        {
            texts.Add(prefix);
            if (prefix.Length < 4)
            {
                foreach (var c in alphabet)
                {
                    Grow(prefix + c);
                }
            }
        }
        Grow("");
        var checkedTexts = 0;
        foreach (var text in texts)
        {
            Assert.True(local.IsMatch(text) == Uris.IsLocal(text), $"IsLocal(\"{text}\")");
            Assert.True(username.IsMatch(text) == Uris.IsUsername(text), $"IsUsername(\"{text}\")");
            checkedTexts++;
        }
        Assert.True(checkedTexts > 15_000, $"{checkedTexts} texts");
    }
}
