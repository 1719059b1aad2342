using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Komlogd.Protocol.Json;
using System.Text.Json.Serialization;
using Komlogd.Protocol;
using Komlogd.Protocol.Channel;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Control;

/// <summary>
/// A CLI's connection to a running agent's control socket: one JSON-RPC 2.0 request at a time, answered in
/// turn, in the agent's framing (header-delimited, <c>Content-Length</c>; docs/protocol.md, "Control socket").
/// </summary>
/// <remarks>
/// Not StreamJsonRpc, on purpose (nor the agent's <c>RpcChannel</c>, a reader thread for one answer). A command such as <c>cmd | komlogd -u URI</c>
/// runs once and exits, and StreamJsonRpc's set-up (its assemblies, Newtonsoft.Json, the reflection over the
/// target, the JIT of its generic code) was most of such a command's time. A client that only ever sends one
/// request and waits for its answer needs none of it: it writes a request with <see cref="JsonWriter"/>
/// and reads the answer with <see cref="JsonValue"/> and the agent's own codecs (<see cref="ControlWire"/>),
/// compiled ahead of time (docs/cli.md, "The short commands' start"; docs/protocol.md, "JSON").
/// The tests run it against the agent's real end.
/// </remarks>
public sealed class ControlClient : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixSocket? _blocking;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private long _nextId;

    private ControlClient(Socket socket) => _socket = socket;

    private ControlClient(UnixSocket blocking) => _blocking = blocking;

    /// <summary>Connects when an agent listens on <paramref name="socketPath"/>; null when none runs.</summary>
    public static async Task<ControlClient?> TryConnectAsync(string socketPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(socketPath))
        {
            return null;
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // A dead agent's socket file: nobody listens.
            socket.Dispose();
            return null;
        }
        return new ControlClient(socket);
    }

    /// <summary>
    /// <see cref="TryConnectAsync"/> for a command that makes one call and exits (<c>-u</c>, <c>status</c>):
    /// blocking calls on the calling thread through libc (<see cref="UnixSocket"/>), so neither
    /// System.Net.Sockets nor the async machinery is started or compiled; only the <c>…Now</c> calls work on
    /// what it returns (docs/cli.md, "The short commands' start").
    /// </summary>
    public static ControlClient? TryConnect(string socketPath) =>
        File.Exists(socketPath) && UnixSocket.TryConnect(socketPath) is { } socket ? new ControlClient(socket) : null;

    /// <summary>
    /// Stores samples. Written and read without the serializer: this is <c>cmd | komlogd -u URI</c>'s whole
    /// conversation, and the serializer's generic set-up for one record was a third of what it JIT-compiled.
    /// </summary>
    public Task<long[]> InsertAsync(IReadOnlyList<ControlSample> samples, CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Insert, w => WriteSamples(w, samples), ReadTimes, cancellationToken);

    /// <summary><see cref="InsertAsync"/>, blocking (<see cref="TryConnect"/>).</summary>
    public long[] InsertNow(IReadOnlyList<ControlSample> samples) => CallNow(ControlMethods.Insert, w => WriteSamples(w, samples), ReadTimes);

    public Task<IdentifyResult> IdentifyAsync(IdentifyRequest request, CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Identify, w => ControlWire.IdentifyRequest.Write(w, request), ControlWire.IdentifyResult.Read, cancellationToken);

    public Task<AgentStatus> StatusAsync(CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Status, null, StatusWire.Read, cancellationToken);

    /// <summary>The status as <c>komlogd status --json</c> prints it (<see cref="StatusWire.ToJson"/>).</summary>
    public Task<string> StatusJsonAsync(CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Status, null, StatusWire.ToJson, cancellationToken);

    /// <summary><see cref="StatusAsync"/>, blocking (<see cref="TryConnect"/>).</summary>
    public AgentStatus StatusNow() => CallNow(ControlMethods.Status, null, StatusWire.Read);

    /// <summary><see cref="StatusJsonAsync"/>, blocking (<see cref="TryConnect"/>).</summary>
    public string StatusJsonNow() => CallNow(ControlMethods.Status, null, StatusWire.ToJson);

    public Task<string[]> ReloadAsync(CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Reload, null, HostWire.Strings, cancellationToken);

    /// <summary>venv.start, venv.stop or venv.restart.</summary>
    public Task<VenvStatusDto> VenvAsync(string method, string venv, CancellationToken cancellationToken = default) =>
        Call(method, w => w.WriteStringValue(venv), ControlWire.VenvStatus.Read, cancellationToken);

    /// <summary><c>[ControlSample…]</c> as the agent reads it: the records' own property names.</summary>
    private static void WriteSamples(JsonWriter w, IReadOnlyList<ControlSample> samples)
    {
        w.WriteStartArray();
        foreach (var sample in samples)
        {
            w.WriteStartObject();
            w.WriteString(nameof(ControlSample.Uri), sample.Uri);
            w.WriteString(nameof(ControlSample.Type), sample.Type);
            if (sample.T is { } t)
            {
                w.WriteNumber(nameof(ControlSample.T), t);
            }
            else
            {
                w.WriteNull(nameof(ControlSample.T));
            }
            w.WriteString(nameof(ControlSample.Value), sample.Value);
            if (sample.Supplies is { } supplies)
            {
                w.WriteStartObject(nameof(ControlSample.Supplies));
                if (supplies.Names is { } names)
                {
                    w.WriteStartArray(nameof(DatasourceSupplies.Names));
                    foreach (var name in names)
                    {
                        w.WriteStringValue(name);
                    }
                    w.WriteEndArray();
                }
                else
                {
                    w.WriteNull(nameof(DatasourceSupplies.Names));
                }
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull(nameof(ControlSample.Supplies));
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static long[] ReadTimes(JsonValue result)
    {
        var times = new long[result.GetArrayLength()];
        var i = 0;
        foreach (var t in result.EnumerateArray())
        {
            times[i++] = t.GetInt64();
        }
        return times;
    }

    // One call: a request, then messages until the answer with its id. The async and the blocking loops differ
    // only in how they send and receive; framing, answers and errors are shared (Request, TryTakeMessage,
    // TryAnswer, Translate).

    private async Task<T> Call<T>(string method, Action<JsonWriter>? writeArgument, Func<JsonValue, T?> read, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("a connection made by TryConnect takes only the …Now calls");
        var (id, request) = Request(method, writeArgument);
        try
        {
            await socket.SendAsync(request, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                ReadOnlyMemory<byte> message;
                while (!TryTakeMessage(out message))
                {
                    Received(await socket.ReceiveAsync(FreeSpace(), cancellationToken).ConfigureAwait(false));
                }
                if (TryAnswer(message, id, method, read, out var result))
                {
                    return result;
                }
            }
        }
        catch (Exception e) when (Translate(e, method) is { } mistake)
        {
            throw mistake;
        }
    }

    private T CallNow<T>(string method, Action<JsonWriter>? writeArgument, Func<JsonValue, T?> read)
    {
        var socket = _blocking ?? throw new InvalidOperationException("a connection made by TryConnectAsync takes only the …Async calls");
        var (id, request) = Request(method, writeArgument);
        try
        {
            socket.Send(request);
            while (true)
            {
                ReadOnlyMemory<byte> message;
                while (!TryTakeMessage(out message))
                {
                    Received(socket.Receive(FreeSpace().Span));
                }
                if (TryAnswer(message, id, method, read, out var result))
                {
                    return result;
                }
            }
        }
        catch (Exception e) when (Translate(e, method) is { } mistake)
        {
            throw mistake;
        }
    }

    /// <summary>The next request's id and its bytes, headers and body.</summary>
    private (long Id, byte[] Request) Request(string method, Action<JsonWriter>? writeArgument)
    {
        var id = ++_nextId;
        var body = new ArrayBufferWriter<byte>();
        var w = new JsonWriter(body);
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WriteNumber("id", id);
        w.WriteString("method", method);
        w.WriteStartArray("params");
        writeArgument?.Invoke(w);
        w.WriteEndArray();
        w.WriteEndObject();
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.WrittenCount}\r\n\r\n"));
        var request = new byte[header.Length + body.WrittenCount];
        header.CopyTo(request, 0);
        body.WrittenSpan.CopyTo(request.AsSpan(header.Length));
        return (id, request);
    }

    /// <summary>
    /// The answer to call <paramref name="id"/>, read by <paramref name="read"/>; false for any other message (only
    /// answers come to a client that sends no notifications and cancels nothing); an error answer thrown.
    /// </summary>
    private static bool TryAnswer<T>(ReadOnlyMemory<byte> message, long id, string method, Func<JsonValue, T?> read, [MaybeNullWhen(false)] out T result)
    {
        result = default;
        var root = JsonValue.Parse(message);
        if (!root.TryGetProperty("id", out var answerId) || answerId.ValueKind != JsonKind.Number || answerId.GetInt64() != id)
        {
            return false;
        }
        if (root.TryGetProperty("error", out var error))
        {
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonKind.Number && c.TryGetInt32(out var n) ? n : 0;
            var text = error.TryGetProperty("message", out var m) ? m.GetString() : null;
            // A refusal is the caller's input (exit 2); a store that cannot write is the machine's (exit 1).
            throw new KomlogdException(text ?? $"the agent refused '{method}' (error {code})", code == ErrorCodes.StoreFailed ? ExitCodes.Failure : ExitCodes.Usage);
        }
        result = read(root.GetProperty("result"))
            ?? throw new KomlogdException($"the agent answered '{method}' with nothing", ExitCodes.Failure);
        return true;
    }

    /// <summary>What a failed call tells the user, or null to let <paramref name="e"/> through (a <see cref="KomlogdException"/> already says it).</summary>
    private static KomlogdException? Translate(Exception e, string method) => e switch
    {
        SocketException or IOException => Lost(),
        // Not JSON, or not the fields this komlogd reads: most likely an agent of another version still running.
        JsonFormatException or KeyNotFoundException or InvalidOperationException or FormatException =>
            new KomlogdException($"cannot read the agent's answer to '{method}' ({e.Message}); if komlogd was updated while the agent ran, restart the agent", ExitCodes.Failure),
        _ => null,
    };

    /// <summary>
    /// Takes one whole message's body from the buffer: headers up to an empty line, then <c>Content-Length</c>
    /// bytes. False when more bytes must be received first; the buffer then has room for the whole message.
    /// </summary>
    private bool TryTakeMessage(out ReadOnlyMemory<byte> message)
    {
        message = default;
        var unread = _buffer.AsSpan(_start, _end - _start);
        var headersEnd = unread.IndexOf("\r\n\r\n"u8);
        if (headersEnd < 0)
        {
            MakeRoom(unread.Length + 1);
            return false;
        }
        int? length = null;
        foreach (var line in Encoding.ASCII.GetString(unread[..headersEnd]).Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                length = n;
            }
        }
        if (length is not { } bodyLength)
        {
            throw new KomlogdException("the agent sent a message without Content-Length on the control socket", ExitCodes.Failure);
        }
        var whole = headersEnd + 4 + bodyLength;
        if (unread.Length < whole)
        {
            MakeRoom(whole);
            return false;
        }
        message = _buffer.AsMemory(_start + headersEnd + 4, bodyLength);
        _start += whole;
        return true;
    }

    /// <summary>Makes room for <paramref name="count"/> unread bytes: keeps them at the front of a buffer large enough.</summary>
    private void MakeRoom(int count)
    {
        if (_buffer.Length - _start >= count)
        {
            return;
        }
        var buffer = _buffer.Length >= count ? _buffer : new byte[Math.Max(_buffer.Length * 2, count)];
        _buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
        _buffer = buffer;
        _end -= _start;
        _start = 0;
    }

    /// <summary>Where the next receive writes.</summary>
    private Memory<byte> FreeSpace() => _buffer.AsMemory(_end);

    private void Received(int count)
    {
        if (count == 0)
        {
            throw Lost();
        }
        _end += count;
    }

    private static KomlogdException Lost() =>
        new("the agent closed the control connection (is it stopping?)", ExitCodes.Failure);

    public void Dispose()
    {
        _socket?.Dispose();
        _blocking?.Dispose();
    }
}

/// <summary>
/// The control socket's records, for both its ends (this client, <see cref="ControlServer"/>):
/// System.Text.Json's defaults, the records' own names, PascalCase, matched exactly when read, as
/// StreamJsonRpc's <c>SystemTextJsonFormatter</c> wrote and read them at the agent's end before, so
/// Komlogd.Client reads the same. Source-generated: no reflection at a command's start, none in the agent.
/// </summary>
[JsonSerializable(typeof(ControlSample[]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(IdentifyRequest))]
[JsonSerializable(typeof(IdentifyResult))]
[JsonSerializable(typeof(GetRequest))]
[JsonSerializable(typeof(WireSample[]))]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(VenvStatusDto))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ControlWireJson : JsonSerializerContext;
