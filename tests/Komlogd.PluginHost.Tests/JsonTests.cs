using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Komlogd.Protocol.Json;
using Komlogd.TestKit;

namespace Komlogd.PluginHost.Tests;

/// <summary>
/// komlogd's JSON reader and writer (Komlogd.Protocol.Json) against System.Text.Json, which they replace in the
/// agent and the plugin host: the same documents accepted and refused, the same values read, and text the
/// serializer reads back as what was written. Random documents come from a fixed seed, so a failure repeats.
/// </summary>
public sealed class JsonTests
{
    private const string Awkward = "ünï \"q\" \\ / \n\r\t\b\f\u0001\u001f\u007f <>&'+ 🙂 \u2028 end";

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ARandomDocumentReadsAsTheSerializerReadsIt(int seed)
    {
        var document = RandomDocument(new Random(seed));
        // The serializer's writer escapes non-ASCII and HTML characters (\u00FC): our reader undoes those too.
        var theirs = Encoding.UTF8.GetBytes(document.ToJsonString());

        using var expected = JsonDocument.Parse(theirs);
        AssertSame(expected.RootElement, JsonValue.Parse(theirs), "$");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void WhatOurWriterWritesTheSerializerReadsBackTheSame(int seed)
    {
        var document = RandomDocument(new Random(seed));
        var theirs = document.ToJsonString();
        var buffer = new ArrayBufferWriter<byte>();

        var raw = new ArrayBufferWriter<byte>();
        JsonValue.Parse(theirs).WriteTo(new JsonWriter(raw));
        Rewrite(JsonValue.Parse(theirs), new JsonWriter(buffer));

        Assert.Equal(theirs, Encoding.UTF8.GetString(raw.WrittenSpan));

        Assert.Equal(theirs, SerializerEscapes.Apply(buffer.WrittenSpan));
        using var back = JsonDocument.Parse(buffer.WrittenMemory);
        AssertSame(back.RootElement, JsonValue.Parse(buffer.WrittenMemory), "$");
    }

    [Fact]
    public void IndentedOutputIsTheSerializersIndentedOutput()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse("""{"a":1,"b":[],"c":{},"d":[1,{"e":"x","f":[true,null]}],"g":"é \" \n"}""")!;
        var theirs = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var buffer = new ArrayBufferWriter<byte>();

        Rewrite(JsonValue.Parse(document.ToJsonString()), new JsonWriter(buffer, indented: true));

        Assert.Equal(theirs, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void EveryAwkwardCharacterWrittenReadsBackItself()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteString(Awkward, Awkward);
        w.WriteString("u8"u8, "\"\\\n\u0001é"u8);
        w.WriteEndObject();

        var value = JsonValue.Parse(buffer.WrittenMemory);

        Assert.Equal(Awkward, value.GetProperty(Awkward).GetString());
        Assert.Equal("\"\\\n\u0001é", value.GetProperty("u8").GetString());
        Assert.Equal(Awkward, JsonDocument.Parse(buffer.WrittenMemory).RootElement.GetProperty(Awkward).GetString());
        // Only what JSON requires is escaped: the text stays readable.
        Assert.Contains("ünï \\\"q\\\" \\\\ / \\n\\r\\t\\b\\f\\u0001\\u001F\u007f <>&'+ 🙂", Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void ALoneSurrogateIsWrittenAsTheReplacementCharacter()
    {
        var buffer = new ArrayBufferWriter<byte>();

        new JsonWriter(buffer).WriteStringValue("a\ud800b");

        Assert.Equal("a\ufffdb", JsonValue.Parse(buffer.WrittenMemory).GetString());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void ANumberJsonCannotHoldIsRefused(double value)
    {
        var e = Assert.Throws<ArgumentException>(() => new JsonWriter(new ArrayBufferWriter<byte>()).WriteNumberValue(value));

        Assert.StartsWith("JSON has no number", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1 + 0.2)]
    [InlineData(1e20)]
    [InlineData(-1.5e-7)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(-0.0)]
    public void ADoubleReadsBackExactly(double value)
    {
        var buffer = new ArrayBufferWriter<byte>();

        new JsonWriter(buffer).WriteNumberValue(value);

        Assert.Equal(value, JsonValue.Parse(buffer.WrittenMemory).GetDouble());
        Assert.Equal(value, JsonDocument.Parse(buffer.WrittenMemory).RootElement.GetDouble());
    }

    [Theory]
    [InlineData("", "expected a value at byte 0, found the end of the text")]
    [InlineData("  ", "expected a value at byte 2, found the end of the text")]
    [InlineData("{", "expected a property name in quotes at byte 1, found the end of the text")]
    [InlineData("[1,]", "expected a value at byte 3, found ']'")]
    [InlineData("""{"a":1,}""", "expected a property name in quotes at byte 7, found '}'")]
    [InlineData("{a:1}", "expected a property name in quotes at byte 1, found 'a'")]
    [InlineData("""{"a" 1}""", "expected ':' after the property name at byte 5, found '1'")]
    [InlineData("[1 2]", "expected ',' or ']' at byte 3, found '2'")]
    [InlineData("""{"a":1 "b":2}""", "expected ',' or '}' at byte 7, found '\"'")]
    [InlineData("01", "expected the end of the text after the value at byte 1, found '1'")]
    [InlineData("1 2", "expected the end of the text after the value at byte 2, found '2'")]
    [InlineData("1.", "expected a digit after the decimal point at byte 2, found the end of the text")]
    [InlineData("-", "expected a digit at byte 1, found the end of the text")]
    [InlineData("-a", "expected a digit at byte 1, found 'a'")]
    [InlineData("1e", "expected a digit in the exponent at byte 2, found the end of the text")]
    [InlineData("1e+", "expected a digit in the exponent at byte 3, found the end of the text")]
    [InlineData("+1", "expected a value at byte 0, found '+'")]
    [InlineData(".5", "expected a value at byte 0, found '.'")]
    [InlineData("\"abc", "expected the string's closing quote at byte 4, found the end of the text")]
    [InlineData("\"a\tb\"", "expected no control character inside a string (it is written as an escape) at byte 2, found byte 0x09")]
    [InlineData("\"\\x\"", "expected an escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) at byte 2, found 'x'")]
    [InlineData("\"\\u12G4\"", "expected four hexadecimal digits after \\u at byte 5, found 'G'")]
    [InlineData("tru", "expected a value at byte 0, found 't'")]
    [InlineData("nul", "expected a value at byte 0, found 'n'")]
    [InlineData("True", "expected a value at byte 0, found 'T'")]
    [InlineData("NaN", "expected a value at byte 0, found 'N'")]
    [InlineData("[1] // no comments", "expected the end of the text after the value at byte 4, found '/'")]
    [InlineData("'a'", "expected a value at byte 0, found '''")]
    public void TextThatIsNotJsonIsRefusedInOneLineAsTheSerializerRefusesIt(string text, string message)
    {
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));

        var e = Assert.Throws<JsonFormatException>(() => JsonValue.Parse(text));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreRefused()
    {
        byte[] text = [(byte)'"', 0xC3, 0x28, (byte)'"'];
        // The serializer refuses when the string is read; ours when the text is parsed, before anything is read.
        Assert.Throws<InvalidOperationException>(() => JsonDocument.Parse(text).RootElement.GetString());

        var e = Assert.Throws<JsonFormatException>(() => JsonValue.Parse(text));

        Assert.Equal("the text is not valid UTF-8", e.Message);
    }

    [Fact]
    public void NestingDeeperThanTheSerializersLimitIsRefused()
    {
        var deepest = new string('[', JsonValue.MaxDepth) + new string(']', JsonValue.MaxDepth);
        var deeper = "[" + deepest + "]";
        using (JsonDocument.Parse(deepest))
        {
        }
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(deeper));

        Assert.Equal(JsonKind.Array, JsonValue.Parse(deepest).ValueKind);
        var e = Assert.Throws<JsonFormatException>(() => JsonValue.Parse(deeper));
        Assert.Equal("expected at most 64 nested arrays and objects at byte 64, found '['", e.Message);
    }

    [Fact]
    public void CommentsAndTrailingCommasAreReadOnlyWhenAsked()
    {
        const string text = """
            // hosts
            { "hosts": [ { "name": "a", /* the first */ }, { "name": "b" }, ], }
            /* end */
            """;
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        using var expected = JsonDocument.Parse(text, options);

        AssertSame(expected.RootElement, JsonValue.Parse(text, commentsAndTrailingCommas: true), "$");
        Assert.Throws<JsonFormatException>(() => JsonValue.Parse(text));
        Assert.Equal("expected the comment's closing */ at byte 2, found '/'",
            Assert.Throws<JsonFormatException>(() => JsonValue.Parse("1 /* open", commentsAndTrailingCommas: true)).Message);
    }

    [Fact]
    public void AByteOrderMarkIsSkipped()
    {
        var text = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"a":1}""")).ToArray();

        Assert.Equal(1, JsonValue.Parse(text).GetProperty("a").GetInt32());
    }

    [Fact]
    public void PropertiesAreFoundByTheirUnescapedNameAndTheLastOfTwoWins()
    {
        const string text = """{"a\u0062":1,"x":2,"x":3,"\u00fc":4}""";
        using var expected = JsonDocument.Parse(text);
        var value = JsonValue.Parse(text);

        Assert.Equal(1, value.GetProperty("ab").GetInt32());
        Assert.True(value.TryGetProperty("ab"u8, out _));
        Assert.Equal(expected.RootElement.GetProperty("x").GetInt32(), value.GetProperty("x").GetInt32());
        Assert.Equal(3, value.GetProperty("x").GetInt32());
        Assert.Equal(4, value.GetProperty("ü").GetInt32());
        Assert.False(value.TryGetProperty("AB", out var missing));
        Assert.Equal(JsonKind.Undefined, missing.ValueKind);
        Assert.Throws<KeyNotFoundException>(() => value.GetProperty("y"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("1.0")]
    [InlineData("1e2")]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("123.4500")]
    [InlineData("79228162514264337593543950336")]
    [InlineData("1e400")]
    [InlineData("-1e-400")]
    [InlineData("0.30000000000000004")]
    public void ANumberIsReadAsTheSerializerReadsIt(string text)
    {
        using var expected = JsonDocument.Parse(text);
        var e = expected.RootElement;
        var ours = JsonValue.Parse(text);

        Assert.Equal(e.TryGetInt32(out var i), ours.TryGetInt32(out var j));
        Assert.Equal(i, j);
        Assert.Equal(e.TryGetInt64(out var l), ours.TryGetInt64(out var m));
        Assert.Equal(l, m);
        Assert.Equal(e.TryGetDouble(out var d), ours.TryGetDouble(out var f));
        Assert.Equal(d, f);
        Assert.Equal(e.TryGetDecimal(out var x), ours.TryGetDecimal(out var y));
        Assert.Equal(x, y);
        Assert.Equal(x.ToString(CultureInfo.InvariantCulture), y.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(e.GetRawText(), ours.GetRawText());
    }

    [Fact]
    public void AskingAValueForWhatItIsNotIsAnInvalidOperation()
    {
        var value = JsonValue.Parse("""{"s":"x","n":1,"a":[]}""");

        Assert.Throws<InvalidOperationException>(() => value.GetProperty("s").GetInt32());
        Assert.Throws<InvalidOperationException>(() => value.GetProperty("n").GetString());
        Assert.Throws<InvalidOperationException>(() => value.GetProperty("a").GetProperty("x"));
        Assert.Throws<InvalidOperationException>(() => value.GetArrayLength());
        Assert.Throws<InvalidOperationException>(() => default(JsonValue).GetRawText());
        Assert.Throws<FormatException>(() => JsonValue.Parse("1.5").GetInt64());
        Assert.Throws<IndexOutOfRangeException>(() => value.GetProperty("a")[0]);
    }

    [Fact]
    public void ACloneOutlivesTheTextItWasReadFrom()
    {
        var text = Encoding.UTF8.GetBytes("""{"a":[1,"two",{"b":null}]}""");
        var clone = JsonValue.Parse(text).GetProperty("a").Clone();

        Array.Fill(text, (byte)' ');

        Assert.Equal("""[1,"two",{"b":null}]""", clone.GetRawText());
        Assert.Equal("two", clone[1].GetString());
    }

    /// <summary>Kinds, strings, numbers' text, names and order, array lengths: all the same, everywhere.</summary>
    private static void AssertSame(JsonElement expected, JsonValue actual, string path)
    {
        Assert.True((int)expected.ValueKind == (int)actual.ValueKind, $"{path}: {expected.ValueKind} against {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var theirs = expected.EnumerateObject().ToList();
                var ours = actual.EnumerateObject().ToList();
                Assert.Equal(theirs.Select(p => p.Name), ours.Select(p => p.Name));
                for (var i = 0; i < theirs.Count; i++)
                {
                    AssertSame(theirs[i].Value, ours[i].Value, $"{path}.{theirs[i].Name}");
                    Assert.True(actual.TryGetProperty(theirs[i].Name, out _), $"{path}: {theirs[i].Name} not found by name");
                }
                break;
            case JsonValueKind.Array:
                Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
                var items = actual.EnumerateArray().ToList();
                var n = 0;
                foreach (var item in expected.EnumerateArray())
                {
                    AssertSame(item, items[n], $"{path}[{n}]");
                    AssertSame(item, actual[n], $"{path}[{n}]");
                    n++;
                }
                break;
            case JsonValueKind.String:
                Assert.Equal(expected.GetString(), actual.GetString());
                break;
            case JsonValueKind.Number:
                Assert.Equal(expected.GetRawText(), actual.GetRawText());
                Assert.Equal(expected.GetDouble(), actual.GetDouble());
                break;
        }
    }

    /// <summary>Writes <paramref name="value"/> again, member by member, through the writer's calls.</summary>
    private static void Rewrite(JsonValue value, JsonWriter w)
    {
        switch (value.ValueKind)
        {
            case JsonKind.Object:
                w.WriteStartObject();
                foreach (var p in value.EnumerateObject())
                {
                    w.WritePropertyName(p.Name);
                    Rewrite(p.Value, w);
                }
                w.WriteEndObject();
                break;
            case JsonKind.Array:
                w.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Rewrite(item, w);
                }
                w.WriteEndArray();
                break;
            case JsonKind.String:
                w.WriteStringValue(value.GetString());
                break;
            case JsonKind.Number when value.TryGetInt64(out var l):
                w.WriteNumberValue(l);
                break;
            case JsonKind.Number:
                w.WriteNumberValue(value.GetDecimal());
                break;
            case JsonKind.True or JsonKind.False:
                w.WriteBooleanValue(value.GetBoolean());
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    private static System.Text.Json.Nodes.JsonNode RandomDocument(Random random) =>
        RandomNode(random, 0) ?? System.Text.Json.Nodes.JsonValue.Create("the root was null");

    private static System.Text.Json.Nodes.JsonNode? RandomNode(Random random, int depth)
    {
        switch (random.Next(depth > 6 ? 4 : 7))
        {
            case 0:
                return RandomString(random);
            case 1:
                return random.Next(3) switch
                {
                    0 => random.NextInt64(long.MinValue, long.MaxValue),
                    1 => random.Next(-1000, 1000),
                    _ => Math.Round((decimal)(random.NextDouble() * 1e6 - 5e5), random.Next(0, 8)),
                };
            case 2:
                return random.Next(2) == 0;
            case 3:
                return null;
            case 4 or 5:
                var o = new System.Text.Json.Nodes.JsonObject();
                for (var i = random.Next(5); i > 0; i--)
                {
                    o[RandomString(random) + i.ToString(CultureInfo.InvariantCulture)] = RandomNode(random, depth + 1);
                }
                return o;
            default:
                var a = new System.Text.Json.Nodes.JsonArray();
                for (var i = random.Next(6); i > 0; i--)
                {
                    a.Add(RandomNode(random, depth + 1));
                }
                return a;
        }
    }

    private static string RandomString(Random random)
    {
        var s = new StringBuilder();
        for (var i = random.Next(12); i > 0; i--)
        {
            s.Append(random.Next(4) == 0 ? Awkward[random.Next(Awkward.Length - 1)] : (char)random.Next('a', 'z' + 1));
        }
        return WholePairs(s.ToString());
    }

    /// <summary>Half of 🙂's surrogate pair (a lone surrogate the serializer refuses) becomes a letter.</summary>
    private static string WholePairs(string s) =>
        string.Concat(s.Select((c, i) => char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1])) ? "x" : char.IsHighSurrogate(c) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) ? "y" : c.ToString()));
}
