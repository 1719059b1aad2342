using System.Buffers;
using System.Globalization;
using System.Text;

namespace Komlogd.Protocol.Json;

/// <summary>
/// Writes JSON into a buffer, with the members of System.Text.Json's <c>Utf8JsonWriter</c> komlogd uses (see
/// <see cref="JsonValue"/> for why not that one). Commas, and with <c>indented</c> the line breaks and
/// two-space indents, are put where they go; the order of the calls is the caller's to get right (a
/// property name inside an object, a value after it), as with the serializer's writer and
/// <c>SkipValidation</c>.
/// <para>
/// Strings are written as UTF-8 with only what JSON requires escaped (<c>"</c>, <c>\</c> and the control
/// characters), as <c>JavaScriptEncoder.UnsafeRelaxedJsonEscaping</c> writes them; a lone surrogate becomes
/// U+FFFD. A number is written in the shortest form that reads back the same; a double that is not finite
/// is refused, JSON having no such number.
/// </para>
/// </summary>
internal sealed class JsonWriter(IBufferWriter<byte> output, bool indented = false)
{
    private static readonly SearchValues<char> CharsToEscape = SearchValues.Create(EscapedChars());
    private static readonly SearchValues<byte> BytesToEscape = SearchValues.Create(EscapedBytes());

    private IBufferWriter<byte> _output = output;
    // Per open array or object: whether an item is in it yet (a comma goes before the next).
    private bool[] _hasItems = new bool[16];
    private int _depth;
    private bool _afterName;

    /// <summary>Starts again, into <paramref name="output"/>, with nothing open.</summary>
    public void Reset(IBufferWriter<byte> output)
    {
        _output = output;
        _depth = 0;
        _afterName = false;
    }

    public void WriteStartObject() => Open((byte)'{');

    public void WriteStartObject(string name)
    {
        WritePropertyName(name);
        Open((byte)'{');
    }

    public void WriteStartObject(ReadOnlySpan<byte> utf8Name)
    {
        WritePropertyName(utf8Name);
        Open((byte)'{');
    }

    public void WriteEndObject() => Close((byte)'}');

    public void WriteStartArray() => Open((byte)'[');

    public void WriteStartArray(string name)
    {
        WritePropertyName(name);
        Open((byte)'[');
    }

    public void WriteStartArray(ReadOnlySpan<byte> utf8Name)
    {
        WritePropertyName(utf8Name);
        Open((byte)'[');
    }

    public void WriteEndArray() => Close((byte)']');

    public void WritePropertyName(string name)
    {
        Item();
        Quoted(name);
        AfterName();
    }

    public void WritePropertyName(ReadOnlySpan<byte> utf8Name)
    {
        Item();
        Quoted(utf8Name);
        AfterName();
    }

    /// <summary>A string, or <c>null</c>.</summary>
    public void WriteStringValue(string? value)
    {
        if (value is null)
        {
            WriteNullValue();
            return;
        }
        Value();
        Quoted(value);
    }

    public void WriteStringValue(ReadOnlySpan<byte> utf8Value)
    {
        Value();
        Quoted(utf8Value);
    }

    public void WriteString(string name, string? value)
    {
        WritePropertyName(name);
        WriteStringValue(value);
    }

    public void WriteString(ReadOnlySpan<byte> utf8Name, string? value)
    {
        WritePropertyName(utf8Name);
        WriteStringValue(value);
    }

    public void WriteString(ReadOnlySpan<byte> utf8Name, ReadOnlySpan<byte> utf8Value)
    {
        WritePropertyName(utf8Name);
        WriteStringValue(utf8Value);
    }

    public void WriteNumberValue(long value)
    {
        Value();
        var span = _output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    public void WriteNumberValue(int value) => WriteNumberValue((long)value);

    /// <exception cref="ArgumentException"><paramref name="value"/> is not finite.</exception>
    public void WriteNumberValue(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"JSON has no number {value.ToString(CultureInfo.InvariantCulture)}", nameof(value));
        }
        Value();
        var span = _output.GetSpan(32);
        value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    public void WriteNumberValue(decimal value)
    {
        Value();
        var span = _output.GetSpan(32);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    public void WriteNumber(string name, long value)
    {
        WritePropertyName(name);
        WriteNumberValue(value);
    }

    public void WriteNumber(ReadOnlySpan<byte> utf8Name, long value)
    {
        WritePropertyName(utf8Name);
        WriteNumberValue(value);
    }

    public void WriteNumber(string name, int value) => WriteNumber(name, (long)value);

    public void WriteNumber(string name, double value)
    {
        WritePropertyName(name);
        WriteNumberValue(value);
    }

    public void WriteNumber(string name, decimal value)
    {
        WritePropertyName(name);
        WriteNumberValue(value);
    }

    public void WriteBooleanValue(bool value)
    {
        Value();
        Bytes(value ? "true"u8 : "false"u8);
    }

    public void WriteBoolean(string name, bool value)
    {
        WritePropertyName(name);
        WriteBooleanValue(value);
    }

    public void WriteNullValue()
    {
        Value();
        Bytes("null"u8);
    }

    public void WriteNull(string name)
    {
        WritePropertyName(name);
        WriteNullValue();
    }

    /// <summary>JSON text written as it is, unchecked: the caller's to be one whole value.</summary>
    public void WriteRawValue(ReadOnlySpan<byte> utf8Json)
    {
        Value();
        Bytes(utf8Json);
    }

    /// <inheritdoc cref="WriteRawValue(ReadOnlySpan{byte})"/>
    public void WriteRawValue(string json)
    {
        Value();
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(json.Length));
        _output.Advance(Encoding.UTF8.GetBytes(json, span));
    }

    private void Open(byte bracket)
    {
        Value();
        Byte(bracket);
        if (_depth == _hasItems.Length)
        {
            Array.Resize(ref _hasItems, _depth * 2);
        }
        _hasItems[_depth++] = false;
    }

    private void Close(byte bracket)
    {
        var hadItems = _hasItems[--_depth];
        if (indented && hadItems)
        {
            NewLine();
        }
        Byte(bracket);
    }

    /// <summary>Before a value: nothing after a property name; otherwise it is an item of its array.</summary>
    private void Value()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }
        Item();
    }

    /// <summary>Before an array's item or an object's property: the comma after the one before, the new line.</summary>
    private void Item()
    {
        if (_depth == 0)
        {
            return;
        }
        if (_hasItems[_depth - 1])
        {
            Byte((byte)',');
        }
        _hasItems[_depth - 1] = true;
        if (indented)
        {
            NewLine();
        }
    }

    private void AfterName()
    {
        Byte((byte)':');
        if (indented)
        {
            Byte((byte)' ');
        }
        _afterName = true;
    }

    private void NewLine()
    {
        var span = _output.GetSpan(1 + 2 * _depth);
        span[0] = (byte)'\n';
        span.Slice(1, 2 * _depth).Fill((byte)' ');
        _output.Advance(1 + 2 * _depth);
    }

    private void Quoted(ReadOnlySpan<char> text)
    {
        Byte((byte)'"');
        while (!text.IsEmpty)
        {
            var escape = text.IndexOfAny(CharsToEscape);
            var run = escape < 0 ? text : text[..escape];
            if (!run.IsEmpty)
            {
                // The escaped characters are ASCII, so a run never splits a surrogate pair; a lone one becomes U+FFFD.
                var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(run.Length));
                _output.Advance(Encoding.UTF8.GetBytes(run, span));
            }
            if (escape < 0)
            {
                break;
            }
            Escape(text[escape]);
            text = text[(escape + 1)..];
        }
        Byte((byte)'"');
    }

    private void Quoted(ReadOnlySpan<byte> utf8)
    {
        Byte((byte)'"');
        while (!utf8.IsEmpty)
        {
            var escape = utf8.IndexOfAny(BytesToEscape);
            Bytes(escape < 0 ? utf8 : utf8[..escape]);
            if (escape < 0)
            {
                break;
            }
            Escape((char)utf8[escape]);
            utf8 = utf8[(escape + 1)..];
        }
        Byte((byte)'"');
    }

    private void Escape(char c)
    {
        switch (c)
        {
            case '"':
                Bytes("\\\""u8);
                break;
            case '\\':
                Bytes("\\\\"u8);
                break;
            case '\n':
                Bytes("\\n"u8);
                break;
            case '\r':
                Bytes("\\r"u8);
                break;
            case '\t':
                Bytes("\\t"u8);
                break;
            case '\b':
                Bytes("\\b"u8);
                break;
            case '\f':
                Bytes("\\f"u8);
                break;
            default:
                var span = _output.GetSpan(6);
                "\\u00"u8.CopyTo(span);
                span[4] = (byte)"0123456789ABCDEF"[c >> 4];
                span[5] = (byte)"0123456789ABCDEF"[c & 0xF];
                _output.Advance(6);
                break;
        }
    }

    private void Byte(byte b)
    {
        _output.GetSpan(1)[0] = b;
        _output.Advance(1);
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
    }

    private static string EscapedChars()
    {
        var chars = new char[34];
        for (var i = 0; i < 32; i++)
        {
            chars[i] = (char)i;
        }
        chars[32] = '"';
        chars[33] = '\\';
        return new string(chars);
    }

    private static byte[] EscapedBytes() => Encoding.ASCII.GetBytes(EscapedChars());
}
