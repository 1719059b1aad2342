using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Komlogd.Protocol.Json;

/// <summary>The kind of a <see cref="JsonValue"/>: System.Text.Json's <c>JsonValueKind</c>, member for member.</summary>
internal enum JsonKind : byte
{
    /// <summary>No value: a property or argument that is not there.</summary>
    Undefined,
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>Text that is not JSON, or JSON of another shape than the reader expected. The message is one line.</summary>
internal sealed class JsonFormatException(string message) : Exception(message);

/// <summary>
/// A parsed JSON value (RFC 8259), read as System.Text.Json's <c>JsonElement</c> is, with the members of it
/// komlogd uses, so that neither the agent nor a plugin host maps System.Text.Json (with System.Text.Encodings.Web
/// and System.IO.Pipelines, about 2 MiB of the pair's memory: docs/protocol.md, "JSON"). Everything the
/// running processes read (the channel, the control socket, the stored identification state, the manifests)
/// goes through this; the short commands' output and the installer still use the serializer.
/// <para>
/// <see cref="Parse(ReadOnlyMemory{byte}, bool)"/> validates the whole text (grammar, UTF-8, a depth of
/// <see cref="MaxDepth"/>) and records one token per value; a value is that token and the text it came from,
/// which must stay unchanged while the value is read (<see cref="Clone"/> copies it). The text is not copied.
/// </para>
/// </summary>
internal readonly struct JsonValue
{
    /// <summary>System.Text.Json's default maximum depth.</summary>
    public const int MaxDepth = 64;

    private readonly Parsed? _parsed;
    private readonly int _index;

    private JsonValue(Parsed parsed, int index)
    {
        _parsed = parsed;
        _index = index;
    }

    public JsonKind ValueKind => _parsed is null ? JsonKind.Undefined : _parsed.Tokens[_index].Kind;

    /// <summary>The one value of <paramref name="utf8"/>, which may have white space around it and nothing else.</summary>
    /// <param name="utf8">The text, read in place: keep it unchanged while the value is read.</param>
    /// <param name="commentsAndTrailingCommas">Skip <c>//</c> and <c>/* */</c> comments and allow a comma before <c>]</c> or <c>}</c>, for files people write.</param>
    /// <exception cref="JsonFormatException">The text is not JSON.</exception>
    public static JsonValue Parse(ReadOnlyMemory<byte> utf8, bool commentsAndTrailingCommas = false) =>
        new(new Parser(utf8, commentsAndTrailingCommas).Run(), 0);

    /// <inheritdoc cref="Parse(ReadOnlyMemory{byte}, bool)"/>
    public static JsonValue Parse(string json, bool commentsAndTrailingCommas = false) =>
        Parse(Encoding.UTF8.GetBytes(json), commentsAndTrailingCommas);

    /// <summary>The property's value; with the name twice, the last one, as System.Text.Json reads it.</summary>
    /// <exception cref="InvalidOperationException">This is not an object.</exception>
    public bool TryGetProperty(ReadOnlySpan<byte> utf8Name, out JsonValue value)
    {
        var tokens = Expect(JsonKind.Object).Tokens;
        var found = -1;
        for (var name = _index + 1; name < tokens[_index].Next; name = tokens[name + 1].Next)
        {
            if (NameIs(name, utf8Name))
            {
                found = name + 1;
            }
        }
        value = found < 0 ? default : new JsonValue(_parsed!, found);
        return found >= 0;
    }

    /// <inheritdoc cref="TryGetProperty(ReadOnlySpan{byte}, out JsonValue)"/>
    public bool TryGetProperty(string name, out JsonValue value)
    {
        var room = Encoding.UTF8.GetMaxByteCount(name.Length);
        Span<byte> utf8 = room <= 256 ? stackalloc byte[room] : new byte[room];
        return TryGetProperty(utf8[..Encoding.UTF8.GetBytes(name, utf8)], out value);
    }

    /// <exception cref="KeyNotFoundException">There is no such property.</exception>
    public JsonValue GetProperty(string name) =>
        TryGetProperty(name, out var value) ? value : throw new KeyNotFoundException($"no property '{name}'");

    /// <exception cref="InvalidOperationException">This is not an array.</exception>
    public int GetArrayLength() => Expect(JsonKind.Array).Tokens[_index].Count;

    /// <summary>Item <paramref name="index"/> of an array.</summary>
    public JsonValue this[int index]
    {
        get
        {
            var tokens = Expect(JsonKind.Array).Tokens;
            if ((uint)index >= (uint)tokens[_index].Count)
            {
                throw new IndexOutOfRangeException();
            }
            var item = _index + 1;
            for (var i = 0; i < index; i++)
            {
                item = tokens[item].Next;
            }
            return new JsonValue(_parsed!, item);
        }
    }

    public ArrayEnumerator EnumerateArray()
    {
        Expect(JsonKind.Array);
        return new ArrayEnumerator(_parsed!, _index);
    }

    public ObjectEnumerator EnumerateObject()
    {
        Expect(JsonKind.Object);
        return new ObjectEnumerator(_parsed!, _index);
    }

    /// <summary>A string's text, or null for <c>null</c>.</summary>
    /// <exception cref="InvalidOperationException">Neither a string nor null.</exception>
    public string? GetString() => ValueKind switch
    {
        JsonKind.Null => null,
        JsonKind.String => _parsed!.Text(_index),
        _ => throw WrongKind("a string"),
    };

    /// <exception cref="InvalidOperationException">Not <c>true</c> or <c>false</c>.</exception>
    public bool GetBoolean() => ValueKind switch
    {
        JsonKind.True => true,
        JsonKind.False => false,
        _ => throw WrongKind("a boolean"),
    };

    /// <summary>A number written as an integer (no fraction, no exponent) that fits.</summary>
    /// <exception cref="InvalidOperationException">Not a number.</exception>
    public bool TryGetInt64(out long value) =>
        long.TryParse(Number(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <inheritdoc cref="TryGetInt64"/>
    public bool TryGetInt32(out int value) =>
        int.TryParse(Number(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>A number as a double; beyond its range, an infinity (as System.Text.Json reads it).</summary>
    /// <exception cref="InvalidOperationException">Not a number.</exception>
    public bool TryGetDouble(out double value) =>
        double.TryParse(Number(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <inheritdoc cref="TryGetDouble"/>
    public bool TryGetDecimal(out decimal value) =>
        decimal.TryParse(Number(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <exception cref="FormatException">The number does not fit.</exception>
    public long GetInt64() => TryGetInt64(out var value) ? value : throw DoesNotFit("an Int64");

    /// <inheritdoc cref="GetInt64"/>
    public int GetInt32() => TryGetInt32(out var value) ? value : throw DoesNotFit("an Int32");

    /// <inheritdoc cref="GetInt64"/>
    public double GetDouble() => TryGetDouble(out var value) ? value : throw DoesNotFit("a Double");

    /// <inheritdoc cref="GetInt64"/>
    public decimal GetDecimal() => TryGetDecimal(out var value) ? value : throw DoesNotFit("a Decimal");

    /// <summary>The value's text as it came (a string with its quotes and escapes).</summary>
    public string GetRawText() => Encoding.UTF8.GetString(Raw());

    /// <summary>A copy that outlives the text this was parsed from.</summary>
    public JsonValue Clone() => _parsed is null ? default : Parse(Raw().ToArray());

    /// <summary>Writes the value as it came.</summary>
    public void WriteTo(JsonWriter writer) => writer.WriteRawValue(Raw());

    public override string ToString() => ValueKind switch
    {
        JsonKind.Undefined => "",
        JsonKind.String => GetString()!,
        _ => GetRawText(),
    };

    private ReadOnlySpan<byte> Raw()
    {
        if (_parsed is null)
        {
            throw WrongKind("a value");
        }
        ref readonly var token = ref _parsed.Tokens[_index];
        return _parsed.Source.Span.Slice(token.Start, token.Length);
    }

    private ReadOnlySpan<byte> Number() => ValueKind == JsonKind.Number ? Raw() : throw WrongKind("a number");

    private bool NameIs(int name, ReadOnlySpan<byte> utf8Name)
    {
        ref readonly var token = ref _parsed!.Tokens[name];
        return token.Escaped
            ? _parsed.Text(name) == Encoding.UTF8.GetString(utf8Name)
            : _parsed.Source.Span.Slice(token.Start + 1, token.Length - 2).SequenceEqual(utf8Name);
    }

    private Parsed Expect(JsonKind kind) =>
        ValueKind == kind ? _parsed! : throw WrongKind(kind == JsonKind.Object ? "an object" : "an array");

    private InvalidOperationException WrongKind(string expected) =>
        new($"expected {expected}, the value is {ValueKind}");

    private FormatException DoesNotFit(string type) => new($"the number {GetRawText()} is not {type}");

    /// <summary>The items of an array, in order.</summary>
    public struct ArrayEnumerator : IEnumerable<JsonValue>, IEnumerator<JsonValue>
    {
        private readonly Parsed _parsed;
        private readonly int _array;
        private int _current;

        internal ArrayEnumerator(Parsed parsed, int array)
        {
            _parsed = parsed;
            _array = array;
            _current = -1;
        }

        public readonly JsonValue Current => new(_parsed, _current);

        readonly object System.Collections.IEnumerator.Current => Current;

        public readonly ArrayEnumerator GetEnumerator() => new(_parsed, _array);

        readonly IEnumerator<JsonValue> IEnumerable<JsonValue>.GetEnumerator() => GetEnumerator();

        readonly System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public bool MoveNext()
        {
            _current = _current < 0 ? _array + 1 : _parsed.Tokens[_current].Next;
            return _current < _parsed.Tokens[_array].Next;
        }

        public void Reset() => _current = -1;

        public readonly void Dispose()
        {
        }
    }

    /// <summary>The properties of an object, in order.</summary>
    public struct ObjectEnumerator : IEnumerable<JsonMember>, IEnumerator<JsonMember>
    {
        private readonly Parsed _parsed;
        private readonly int _object;
        private int _name;

        internal ObjectEnumerator(Parsed parsed, int @object)
        {
            _parsed = parsed;
            _object = @object;
            _name = -1;
        }

        public readonly JsonMember Current => new(_parsed.Text(_name), new JsonValue(_parsed, _name + 1));

        readonly object System.Collections.IEnumerator.Current => Current;

        public readonly ObjectEnumerator GetEnumerator() => new(_parsed, _object);

        readonly IEnumerator<JsonMember> IEnumerable<JsonMember>.GetEnumerator() => GetEnumerator();

        readonly System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public bool MoveNext()
        {
            _name = _name < 0 ? _object + 1 : _parsed.Tokens[_name + 1].Next;
            return _name < _parsed.Tokens[_object].Next;
        }

        public void Reset() => _name = -1;

        public readonly void Dispose()
        {
        }
    }

    /// <summary>One value: where its text is and, for an array or object, where the values after it start.</summary>
    internal struct Token
    {
        public JsonKind Kind;
        /// <summary>A string (or a name) with a backslash in it.</summary>
        public bool Escaped;
        /// <summary>The text's first byte (a string's opening quote) and its length.</summary>
        public int Start;
        public int Length;
        /// <summary>The index of the token after this value and everything in it.</summary>
        public int Next;
        /// <summary>An array's items or an object's properties.</summary>
        public int Count;
    }

    /// <summary>
    /// The tokens of one text, in document order: an object's are its own, then each property's name (a
    /// <see cref="JsonKind.String"/> token) followed by its value's tokens.
    /// </summary>
    internal sealed class Parsed(ReadOnlyMemory<byte> source, Token[] tokens)
    {
        public ReadOnlyMemory<byte> Source { get; } = source;

        public Token[] Tokens { get; } = tokens;

        /// <summary>A string token's text, its escapes undone.</summary>
        public string Text(int index)
        {
            ref readonly var token = ref Tokens[index];
            var inside = Source.Span.Slice(token.Start + 1, token.Length - 2);
            return token.Escaped ? Unescape(inside) : Encoding.UTF8.GetString(inside);
        }

        private static string Unescape(ReadOnlySpan<byte> s)
        {
            // Never more chars than bytes: an escape of 2 or 6 bytes is one char.
            var chars = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
            var n = 0;
            while (!s.IsEmpty)
            {
                var backslash = s.IndexOf((byte)'\\');
                var run = backslash < 0 ? s : s[..backslash];
                n += Encoding.UTF8.GetChars(run, chars[n..]);
                if (backslash < 0)
                {
                    break;
                }
                var escape = s[backslash + 1];
                if (escape == 'u')
                {
                    chars[n++] = (char)ushort.Parse(s.Slice(backslash + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    s = s[(backslash + 6)..];
                }
                else
                {
                    chars[n++] = escape switch
                    {
                        (byte)'b' => '\b',
                        (byte)'f' => '\f',
                        (byte)'n' => '\n',
                        (byte)'r' => '\r',
                        (byte)'t' => '\t',
                        _ => (char)escape, // " \ /
                    };
                    s = s[(backslash + 2)..];
                }
            }
            return new string(chars[..n]);
        }
    }

    /// <summary>One pass over the text, recursive to <see cref="MaxDepth"/>.</summary>
    private ref struct Parser(ReadOnlyMemory<byte> source, bool lenient)
    {
        private readonly ReadOnlySpan<byte> _s = source.Span;
        private Token[] _tokens = new Token[16];
        private int _count;
        private int _pos;

        public Parsed Run()
        {
            if (!Utf8.IsValid(_s))
            {
                throw new JsonFormatException("the text is not valid UTF-8");
            }
            if (_s.StartsWith("\uFEFF"u8))
            {
                _pos = 3;
            }
            Value(0);
            Space();
            if (_pos < _s.Length)
            {
                throw Error("the end of the text after the value");
            }
            return new Parsed(source, _tokens);
        }

        private void Value(int depth)
        {
            Space();
            if (_pos >= _s.Length)
            {
                throw Error("a value");
            }
            switch (_s[_pos])
            {
                case (byte)'{':
                    Container(JsonKind.Object, depth + 1);
                    break;
                case (byte)'[':
                    Container(JsonKind.Array, depth + 1);
                    break;
                case (byte)'"':
                    String();
                    break;
                case (byte)'t':
                    Literal("true"u8, JsonKind.True);
                    break;
                case (byte)'f':
                    Literal("false"u8, JsonKind.False);
                    break;
                case (byte)'n':
                    Literal("null"u8, JsonKind.Null);
                    break;
                case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                    Number();
                    break;
                default:
                    throw Error("a value");
            }
        }

        private void Container(JsonKind kind, int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error($"at most {MaxDepth} nested arrays and objects");
            }
            var close = kind == JsonKind.Object ? (byte)'}' : (byte)']';
            var self = Add(kind, _pos, 0);
            _pos++;
            var count = 0;
            Space();
            if (Peek() == close)
            {
                _pos++;
            }
            else
            {
                while (true)
                {
                    if (kind == JsonKind.Object)
                    {
                        Space();
                        if (lenient && count > 0 && Peek() == close)
                        {
                            _pos++;
                            break;
                        }
                        if (Peek() != '"')
                        {
                            throw Error("a property name in quotes");
                        }
                        String();
                        Space();
                        if (Peek() != ':')
                        {
                            throw Error("':' after the property name");
                        }
                        _pos++;
                    }
                    else if (lenient && count > 0)
                    {
                        Space();
                        if (Peek() == close)
                        {
                            _pos++;
                            break;
                        }
                    }
                    Value(depth);
                    count++;
                    Space();
                    var next = Peek();
                    _pos++;
                    if (next == close)
                    {
                        break;
                    }
                    if (next != ',')
                    {
                        _pos--;
                        throw Error(kind == JsonKind.Object ? "',' or '}'" : "',' or ']'");
                    }
                }
            }
            ref var token = ref _tokens[self];
            token.Length = _pos - token.Start;
            token.Next = _count;
            token.Count = count;
        }

        private void String()
        {
            var start = _pos++;
            var escaped = false;
            while (true)
            {
                var rest = _s[_pos..];
                var stop = rest.IndexOfAny((byte)'"', (byte)'\\');
                var control = (stop < 0 ? rest : rest[..stop]).IndexOfAnyInRange((byte)0, (byte)0x1F);
                if (control >= 0)
                {
                    _pos += control;
                    throw Error("no control character inside a string (it is written as an escape)");
                }
                if (stop < 0)
                {
                    _pos = _s.Length;
                    throw Error("the string's closing quote");
                }
                _pos += stop;
                if (_s[_pos] == '"')
                {
                    _pos++;
                    break;
                }
                escaped = true;
                _pos++;
                switch (Peek())
                {
                    case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                        _pos++;
                        break;
                    case (byte)'u':
                        _pos++;
                        for (var i = 0; i < 4; i++, _pos++)
                        {
                            if (!char.IsAsciiHexDigit((char)Peek()))
                            {
                                throw Error("four hexadecimal digits after \\u");
                            }
                        }
                        break;
                    default:
                        throw Error("an escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
                }
            }
            var index = Add(JsonKind.String, start, _pos - start);
            _tokens[index].Escaped = escaped;
        }

        private void Number()
        {
            var start = _pos;
            if (Peek() == '-')
            {
                _pos++;
            }
            if (Peek() == '0')
            {
                _pos++;
            }
            else if (!Digits())
            {
                throw Error("a digit");
            }
            if (Peek() == '.')
            {
                _pos++;
                if (!Digits())
                {
                    throw Error("a digit after the decimal point");
                }
            }
            if (Peek() is (byte)'e' or (byte)'E')
            {
                _pos++;
                if (Peek() is (byte)'+' or (byte)'-')
                {
                    _pos++;
                }
                if (!Digits())
                {
                    throw Error("a digit in the exponent");
                }
            }
            Add(JsonKind.Number, start, _pos - start);
        }

        private bool Digits()
        {
            var start = _pos;
            while (Peek() is >= (byte)'0' and <= (byte)'9')
            {
                _pos++;
            }
            return _pos > start;
        }

        private void Literal(ReadOnlySpan<byte> literal, JsonKind kind)
        {
            if (!_s[_pos..].StartsWith(literal))
            {
                throw Error("a value");
            }
            Add(kind, _pos, literal.Length);
            _pos += literal.Length;
        }

        private void Space()
        {
            while (_pos < _s.Length)
            {
                switch (_s[_pos])
                {
                    case (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r':
                        _pos++;
                        break;
                    case (byte)'/' when lenient && _pos + 1 < _s.Length && _s[_pos + 1] == '/':
                        var end = _s[_pos..].IndexOf((byte)'\n');
                        _pos = end < 0 ? _s.Length : _pos + end + 1;
                        break;
                    case (byte)'/' when lenient && _pos + 1 < _s.Length && _s[_pos + 1] == '*':
                        var close = _s[(_pos + 2)..].IndexOf("*/"u8);
                        if (close < 0)
                        {
                            throw Error("the comment's closing */");
                        }
                        _pos += close + 4;
                        break;
                    default:
                        return;
                }
            }
        }

        private readonly byte Peek() => _pos < _s.Length ? _s[_pos] : (byte)0;

        private int Add(JsonKind kind, int start, int length)
        {
            if (_count == _tokens.Length)
            {
                Array.Resize(ref _tokens, _count * 2);
            }
            _tokens[_count] = new Token { Kind = kind, Start = start, Length = length, Next = _count + 1 };
            return _count++;
        }

        /// <summary>One line: what was expected, where, and what is there instead.</summary>
        private readonly JsonFormatException Error(string expected)
        {
            var found = _pos >= _s.Length ? "the end of the text" : Describe(_s[_pos]);
            return new JsonFormatException($"expected {expected} at byte {_pos}, found {found}");
        }

        private static string Describe(byte b) => b is >= 0x20 and < 0x7F ? $"'{(char)b}'" : $"byte 0x{b:X2}";
    }
}

/// <summary>One property of an object: its name (escapes undone) and its value.</summary>
internal readonly record struct JsonMember(string Name, JsonValue Value);
