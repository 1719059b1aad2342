using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Komlogd.Protocol;
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
/// request and waits for its answer needs none of it: it writes a request with <see cref="Utf8JsonWriter"/>
/// and reads the answer with <see cref="JsonDocument"/> and, for the larger answers, System.Text.Json's
/// source-generated contracts (<see cref="ControlWireJson"/>), all in the framework, compiled ahead of time (docs/cli.md, "The short commands' start").
/// The tests run it against the agent's real end.
/// </remarks>
public sealed class ControlClient : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private long _nextId;

    private ControlClient(Socket socket) => _socket = socket;

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
    /// Stores samples. Written and read without the serializer: this is <c>cmd | komlogd -u URI</c>'s whole
    /// conversation, and the serializer's generic set-up for one record was a third of what it JIT-compiled.
    /// </summary>
    public Task<long[]> InsertAsync(IReadOnlyList<ControlSample> samples, CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Insert, w => WriteSamples(w, samples), ReadTimes, cancellationToken);

    public Task<IdentifyResult> IdentifyAsync(IdentifyRequest request, CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Identify, w => JsonSerializer.Serialize(w, request, ControlWireJson.Default.IdentifyRequest), r => r.Deserialize(ControlWireJson.Default.IdentifyResult), cancellationToken);

    public Task<AgentStatus> StatusAsync(CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Status, null, StatusWire.Read, cancellationToken);

    /// <summary>The status as <c>komlogd status --json</c> prints it (<see cref="StatusWire.ToJson"/>).</summary>
    public Task<string> StatusJsonAsync(CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Status, null, StatusWire.ToJson, cancellationToken);

    public Task<string[]> ReloadAsync(CancellationToken cancellationToken = default) =>
        Call(ControlMethods.Reload, null, r => r.Deserialize(ControlWireJson.Default.StringArray), cancellationToken);

    /// <summary>venv.start, venv.stop or venv.restart.</summary>
    public Task<VenvStatusDto> VenvAsync(string method, string venv, CancellationToken cancellationToken = default) =>
        Call(method, w => w.WriteStringValue(venv), r => r.Deserialize(ControlWireJson.Default.VenvStatusDto), cancellationToken);

    /// <summary><c>[ControlSample…]</c> as the agent reads it: the records' own property names.</summary>
    private static void WriteSamples(Utf8JsonWriter w, IReadOnlyList<ControlSample> samples)
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

    private static long[] ReadTimes(JsonElement result)
    {
        var times = new long[result.GetArrayLength()];
        var i = 0;
        foreach (var t in result.EnumerateArray())
        {
            times[i++] = t.GetInt64();
        }
        return times;
    }

    private async Task<T> Call<T>(string method, Action<Utf8JsonWriter>? writeArgument, Func<JsonElement, T?> read, CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        var body = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteNumber("id", id);
            w.WriteString("method", method);
            w.WriteStartArray("params");
            writeArgument?.Invoke(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.WrittenCount}\r\n\r\n"));
        try
        {
            await _socket.SendAsync(header, cancellationToken).ConfigureAwait(false);
            await _socket.SendAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                using var answer = JsonDocument.Parse(await ReadMessageAsync(cancellationToken).ConfigureAwait(false));
                var root = answer.RootElement;
                // Only answers come to a client that sends no notifications and cancels nothing; skip anything else.
                if (!root.TryGetProperty("id", out var answerId) || answerId.ValueKind != JsonValueKind.Number || answerId.GetInt64() != id)
                {
                    continue;
                }
                if (root.TryGetProperty("error", out var error))
                {
                    var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 0;
                    var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                    // A refusal is the caller's input (exit 2); a store that cannot write is the machine's (exit 1).
                    throw new KomlogdException(message ?? $"the agent refused '{method}' (error {code})", code == ErrorCodes.StoreFailed ? ExitCodes.Failure : ExitCodes.Usage);
                }
                return read(root.GetProperty("result"))
                    ?? throw new KomlogdException($"the agent answered '{method}' with nothing", ExitCodes.Failure);
            }
        }
        catch (SocketException)
        {
            throw Lost();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Not JSON, or not the fields this komlogd reads: most likely an agent of another version still running.
            throw new KomlogdException($"cannot read the agent's answer to '{method}' ({e.Message}); if komlogd was updated while the agent ran, restart the agent", ExitCodes.Failure);
        }
    }

    /// <summary>One message's body: headers up to an empty line, then <c>Content-Length</c> bytes.</summary>
    private async Task<ReadOnlyMemory<byte>> ReadMessageAsync(CancellationToken cancellationToken)
    {
        int? length = null;
        while (true)
        {
            var line = await ReadHeaderLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length == 0)
            {
                break;
            }
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
        await FillAsync(bodyLength, cancellationToken).ConfigureAwait(false);
        var message = _buffer.AsMemory(_start, bodyLength);
        _start += bodyLength;
        return message;
    }

    private async Task<string> ReadHeaderLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }
            await FillAsync(_end - _start + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads until at least <paramref name="count"/> unread bytes are buffered.</summary>
    private async Task FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        if (_end - _start >= count)
        {
            return;
        }
        if (_buffer.Length - _start < count)
        {
            // Keep the unread bytes, at the front of a buffer large enough for the whole message.
            var larger = new byte[Math.Max(_buffer.Length, count * 2)];
            _buffer.AsSpan(_start, _end - _start).CopyTo(larger);
            _buffer = larger;
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw Lost();
            }
            _end += read;
        }
    }

    private static KomlogdException Lost() =>
        new("the agent closed the control connection (is it stopping?)", ExitCodes.Failure);

    public void Dispose() => _socket.Dispose();
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
