using System.Buffers.Text;
using System.Text;

namespace Komlogd.Protocol.Channel;

/// <summary>
/// Reads <c>Content-Length</c> frames (headers, a blank line, that many bytes of body) from a blocking stream.
/// A body is valid until the next call. Other headers (<c>Content-Type</c>) are read and ignored.
/// </summary>
internal sealed class FrameReader(Stream input)
{
    private const int Initial = 64 * 1024;
    private byte[] _buffer = new byte[Initial];
    private int _start;
    private int _end;

    /// <summary>The next frame's body, or null at the end of the input between frames.</summary>
    /// <exception cref="IOException">The input ended inside a frame, or a header is malformed.</exception>
    public ReadOnlyMemory<byte>? Next()
    {
        if (_start == _end && _buffer.Length > Initial)
        {
            // A large frame's buffer is not kept for the host's whole life.
            _buffer = new byte[Initial];
            _start = _end = 0;
        }
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start > RpcChannelLimits.MaxHeaders)
            {
                throw new IOException($"a frame's headers are longer than {RpcChannelLimits.MaxHeaders} bytes");
            }
            if (!Fill())
            {
                return _start == _end ? null : throw new IOException("the input ended inside a frame's headers");
            }
        }
        var length = ContentLength(_buffer.AsSpan(_start, headerEnd));
        _start += headerEnd + 4;
        if (length > RpcChannelLimits.MaxFrame)
        {
            throw new IOException($"a frame of {length} bytes is over the limit of {RpcChannelLimits.MaxFrame}");
        }
        while (_end - _start < length)
        {
            if (!Fill(length))
            {
                throw new IOException("the input ended inside a frame's body");
            }
        }
        var body = _buffer.AsMemory(_start, length);
        _start += length;
        return body;
    }

    private static int ContentLength(ReadOnlySpan<byte> headers)
    {
        foreach (var range in headers.Split("\r\n"u8))
        {
            var line = headers[range];
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && Ascii.EqualsIgnoreCase(line[..colon].Trim((byte)' '), "Content-Length"u8))
            {
                var value = line[(colon + 1)..].Trim((byte)' ');
                return value is [>= (byte)'0' and <= (byte)'9', ..] && Utf8Parser.TryParse(value, out int n, out var used) && used == value.Length
                    ? n
                    : throw new IOException($"Content-Length '{Encoding.ASCII.GetString(value)}' is not a length");
            }
        }
        throw new IOException("a frame has no Content-Length header");
    }

    /// <summary>Reads more; makes room for <paramref name="need"/> bytes from the frame's start first.</summary>
    private bool Fill(int need = 0)
    {
        if (_start > 0 && (_end == _buffer.Length || need > _buffer.Length - _start))
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (need > _buffer.Length || _end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(need, _buffer.Length * 2));
        }
        var read = input.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        return read > 0;
    }
}
