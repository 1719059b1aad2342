using System.Buffers;
using System.Globalization;
using Komlogd.Protocol.Json;

namespace Komlogd.Protocol.Channel;

/// <summary>
/// One end of a komlogd channel: JSON-RPC 2.0 in <c>Content-Length</c> frames, the wire StreamJsonRpc's
/// <c>HeaderDelimitedMessageHandler</c> and <c>SystemTextJsonFormatter</c> speak (docs/protocol.md, "The
/// channel"). Both ends of the host channel (the plugin host's and the agent's) and the agent's end of
/// the control socket run on it. Written instead of StreamJsonRpc because the library was most of an idle
/// host's memory and of its wake-ups, and about 6 MiB of the agent's (docs/benchmarks.md, "footprint").
/// StreamJsonRpc stays the tests' reference peer (RpcChannelTests) and what Komlogd.Client speaks.
/// <para>
/// One reader thread blocks in <c>read</c> and handles each message before it reads the next, so the peer's
/// messages are taken in the order it sent them (a <c>runs</c> request is answered after every update sent
/// before it). A handler's synchronous part runs on that thread; what takes long (loading packages, the
/// stop) is the target's to move off it. Writes are whole frames, one <c>write</c> each, under one lock.
/// </para>
/// </summary>
internal sealed class RpcChannel
{
    /// <summary>StreamJsonRpc's code for an exception thrown by the invoked method.</summary>
    public const int InvocationError = -32000;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;

    private const int HeaderRoom = 32;

    private readonly Stream _input;
    private readonly Stream _output;
    private readonly Action<string> _complain;
    private readonly string _self;
    private readonly string _peer;
    private readonly Lock _writeGate = new();
    // A plain dictionary under a lock: System.Collections.Concurrent was 0.4 MiB of an idle host for this one map.
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly Lock _pendingGate = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ArrayBufferWriter<byte> _frame = new(4096);
    private readonly JsonWriter _json;
    private IRpcTarget? _target;
    private long _nextId;
    private volatile string? _closed;

    /// <summary>The plugin host's end.</summary>
    /// <param name="input">The agent's messages (the host's private copy of fd 0).</param>
    /// <param name="output">Where answers and calls go (the host's private copy of fd 1).</param>
    /// <param name="errors">Where what cannot be answered is said (stderr, which the agent logs).</param>
    public RpcChannel(Stream input, Stream output, TextWriter errors)
        : this(input, output, errors.WriteLine, "Komlogd.PluginHost", "the agent")
    {
    }

    /// <param name="input">The peer's messages.</param>
    /// <param name="output">Where answers and calls go.</param>
    /// <param name="complain">Told, one line each, what came from the peer that cannot be answered.</param>
    /// <param name="self">This end's name, first in those lines and in "no method" answers.</param>
    /// <param name="peer">The other end, as those lines name it ("the agent").</param>
    public RpcChannel(Stream input, Stream output, Action<string> complain, string self, string peer)
    {
        _input = input;
        _output = output;
        _complain = complain;
        _self = self;
        _peer = peer;
        _json = new JsonWriter(_frame);
    }

    /// <summary>
    /// Completes when the peer closes the channel (end of input), faulted when the input breaks or a frame
    /// cannot be read.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Starts reading; every request and notification goes to <paramref name="target"/>.</summary>
    public void Start(IRpcTarget target)
    {
        _target = target;
        new Thread(ReadLoop) { IsBackground = true, Name = $"komlogd channel to {_peer}" }.Start();
    }

    /// <summary>
    /// Closes this end's output (the peer reads its end: a plugin host then stops) and fails the calls still
    /// waiting. The reader goes on until the peer closes its side.
    /// </summary>
    public void Close()
    {
        lock (_writeGate)
        {
            _closed ??= "the channel was closed";
            try
            {
                _output.Dispose();
            }
            catch (IOException)
            {
                // A pipe whose reader is gone: closed either way.
            }
        }
        FailPending(_closed);
    }

    /// <summary>Calls the peer; the answer's <c>result</c> is read as <typeparamref name="TResult"/>.</summary>
    public Task<TResult> InvokeAsync<TArg, TResult>(string method, TArg arg, WireCodec<TArg> argCodec, WireCodec<TResult> resultCodec, CancellationToken cancellationToken) =>
        InvokeAsync(method, WireArgs.Of(arg, argCodec), resultCodec, cancellationToken);

    /// <summary>Calls the peer with <paramref name="args"/>; the answer's <c>result</c> is read as <typeparamref name="TResult"/>.</summary>
    /// <exception cref="RemoteErrorException">The peer answered with an error.</exception>
    /// <exception cref="ChannelLostException">The channel closed before the answer.</exception>
    public Task<TResult> InvokeAsync<TResult>(string method, WireArgs args, WireCodec<TResult> resultCodec, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }
        var id = Interlocked.Increment(ref _nextId);
        var pending = new Pending<TResult>(resultCodec);
        lock (_pendingGate)
        {
            _pending[id] = pending;
        }
        try
        {
            Send(new Request(id, method, args));
        }
        catch (ChannelLostException e)
        {
            TakePending(id);
            return Task.FromException<TResult>(e);
        }
        catch
        {
            TakePending(id);
            throw;
        }
        if (_closed is { } why && TakePending(id) is not null)
        {
            // Closed between the send and here: the reader's sweep may have missed this one.
            pending.Fail(new ChannelLostException(why));
        }
        if (cancellationToken.CanBeCanceled)
        {
            pending.Cancellation = cancellationToken.Register(() =>
            {
                if (TakePending(id) is not null)
                {
                    pending.Cancel(cancellationToken);
                    TrySend(new CancelRequest(id));
                }
            });
        }
        return pending.Task;
    }

    /// <summary>A notification to the peer: sent when this returns, never answered.</summary>
    /// <exception cref="ChannelLostException">The channel is closed.</exception>
    public Task NotifyAsync<TArg>(string method, TArg arg, WireCodec<TArg> argCodec) => NotifyAsync(method, WireArgs.Of(arg, argCodec));

    /// <summary>A notification to the peer with <paramref name="args"/>: sent when this returns, never answered.</summary>
    /// <exception cref="ChannelLostException">The channel is closed.</exception>
    public Task NotifyAsync(string method, WireArgs args)
    {
        try
        {
            Send(new Request(null, method, args));
            return Task.CompletedTask;
        }
        catch (ChannelLostException e)
        {
            return Task.FromException(e);
        }
    }

    private void ReadLoop()
    {
        var reader = new FrameReader(_input);
        try
        {
            while (reader.Next() is { } body)
            {
                Dispatch(body);
            }
            Close($"{_peer} closed the channel", null);
        }
        catch (Exception e)
        {
            Close($"the channel broke: {e.Message}", e);
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> body)
    {
        JsonValue root;
        try
        {
            root = JsonValue.Parse(body);
        }
        catch (JsonFormatException e)
        {
            _complain($"{_self}: a message from {_peer} is not JSON, ignored: {e.Message}");
            return;
        }
        if (root.ValueKind != JsonKind.Object)
        {
            _complain($"{_self}: a message from {_peer} is not a JSON-RPC object, ignored");
        }
        else if (root.TryGetProperty("method"u8, out var method) && method.ValueKind == JsonKind.String)
        {
            OnRequest(method.GetString()!, root);
        }
        else if (root.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonKind.Number && id.TryGetInt64(out var number))
        {
            OnResponse(number, root);
        }
        else
        {
            _complain($"{_self}: a message from {_peer} has neither a method nor a known id, ignored");
        }
    }

    private void OnRequest(string method, JsonValue root)
    {
        // The id is echoed as it came (StreamJsonRpc sends numbers; JSON-RPC allows strings too).
        var id = root.TryGetProperty("id"u8, out var idElement) && idElement.ValueKind != JsonKind.Null ? idElement.GetRawText() : null;
        if (method.StartsWith("$/", StringComparison.Ordinal) && id is null)
        {
            // $/cancelRequest and friends: the handlers take no cancellation, they answer soon or never.
            return;
        }
        Task<RpcResult>? handled;
        try
        {
            var args = new RpcArgs(method, root.TryGetProperty("params"u8, out var p) ? p : default);
            handled = _target!.Invoke(method, args);
        }
        catch (Exception e)
        {
            handled = Task.FromException<RpcResult>(e);
        }
        if (id is null)
        {
            if (handled is null || handled.IsCompletedSuccessfully)
            {
                return;
            }
            handled.ContinueWith(t => _complain($"{_self}: notification {method} failed: {t.Exception!.InnerException!.Message}"),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }
        if (handled is null)
        {
            TrySend(new ErrorAnswer(id, MethodNotFound, $"no method '{method}' on {_self}"));
        }
        else if (handled.IsCompleted)
        {
            SendAnswer(id, handled);
        }
        else
        {
            handled.ContinueWith(t => SendAnswer(id, t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void SendAnswer(string id, Task<RpcResult> handled)
    {
        if (handled.IsCompletedSuccessfully)
        {
            TrySend(new ResultAnswer(id, handled.Result));
            return;
        }
        var e = handled.Exception?.InnerException ?? new OperationCanceledException();
        TrySend(e switch
        {
            RpcErrorException error => new ErrorAnswer(id, error.Code, error.Message),
            RpcArgumentException or JsonFormatException => new ErrorAnswer(id, InvalidParams, e.Message),
            _ => new ErrorAnswer(id, InvocationError, e.Message),
        });
    }

    private void OnResponse(long id, JsonValue root)
    {
        if (TakePending(id) is not { } pending)
        {
            // Cancelled here before the peer answered.
            return;
        }
        if (root.TryGetProperty("error"u8, out var error) && error.ValueKind == JsonKind.Object)
        {
            var code = error.TryGetProperty("code"u8, out var c) && c.ValueKind == JsonKind.Number && c.TryGetInt32(out var n) ? n : InvocationError;
            var message = error.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonKind.String ? m.GetString()! : "(no message)";
            pending.Fail(new RemoteErrorException(code, message));
            return;
        }
        try
        {
            pending.Complete(root.TryGetProperty("result"u8, out var result) ? result : default);
        }
        catch (Exception e) when (e is JsonFormatException or NotSupportedException or InvalidOperationException)
        {
            pending.Fail(new RemoteErrorException(InvalidParams, $"{_peer}'s answer cannot be read: {e.Message}"));
        }
    }

    private void Close(string why, Exception? fault)
    {
        lock (_writeGate)
        {
            _closed ??= why;
        }
        FailPending(why);
        if (fault is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(new ChannelLostException(why, fault));
        }
    }

    private void FailPending(string why)
    {
        List<Pending> lost;
        lock (_pendingGate)
        {
            lost = [.. _pending.Values];
            _pending.Clear();
        }
        foreach (var pending in lost)
        {
            pending.Fail(new ChannelLostException(why));
        }
    }

    private Pending? TakePending(long id)
    {
        lock (_pendingGate)
        {
            return _pending.Remove(id, out var pending) ? pending : null;
        }
    }

    private void TrySend(Frame message)
    {
        try
        {
            Send(message);
        }
        catch (ChannelLostException)
        {
            // The reader sees the end too.
        }
    }

    /// <summary>One frame, one write: the header is put in the room left before the body.</summary>
    private void Send(Frame message)
    {
        lock (_writeGate)
        {
            if (_closed is { } why)
            {
                throw new ChannelLostException(why);
            }
            _frame.ResetWrittenCount();
            _frame.Advance(HeaderRoom);
            _json.Reset(_frame);
            message.Write(_json);
            var written = _frame.WrittenMemory;
            var length = written.Length - HeaderRoom;
            Span<byte> header = stackalloc byte[HeaderRoom];
            System.Text.Unicode.Utf8.TryWrite(header, CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n\r\n", out var headerLength);
            // The writer's own array, written in the room it was asked to leave.
            var frame = System.Runtime.InteropServices.MemoryMarshal.AsMemory(written)[(HeaderRoom - headerLength)..];
            header[..headerLength].CopyTo(frame.Span);
            try
            {
                _output.Write(frame.Span);
                _output.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                _closed ??= $"the channel broke: {e.Message}";
                throw new ChannelLostException(_closed, e);
            }
            finally
            {
                // A large batch's buffer is not kept for the host's whole life.
                if (_frame.Capacity > 1 << 20)
                {
                    _frame = new ArrayBufferWriter<byte>(4096);
                }
            }
        }
    }

    /// <summary>One JSON-RPC message: the envelope, then the members that make it a call, an answer or an error.</summary>
    private abstract class Frame
    {
        public void Write(JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc"u8, "2.0"u8);
            WriteMembers(json);
            json.WriteEndObject();
        }

        protected abstract void WriteMembers(JsonWriter json);
    }

    /// <summary>A call or a notification (no id): its arguments positional, as StreamJsonRpc sends its own.</summary>
    private sealed class Request(long? id, string method, WireArgs args) : Frame
    {
        protected override void WriteMembers(JsonWriter json)
        {
            if (id is { } n)
            {
                json.WriteNumber("id"u8, n);
            }
            json.WriteString("method"u8, method);
            json.WriteStartArray("params"u8);
            args.Write(json);
            json.WriteEndArray();
        }
    }

    /// <summary>Tells the peer a call of this end's was given up (StreamJsonRpc's cancellation protocol).</summary>
    private sealed class CancelRequest(long id) : Frame
    {
        protected override void WriteMembers(JsonWriter json)
        {
            json.WriteString("method"u8, "$/cancelRequest"u8);
            json.WriteStartObject("params"u8);
            json.WriteNumber("id"u8, id);
            json.WriteEndObject();
        }
    }

    /// <summary>An answer to one of the peer's requests: the id as it came, then its outcome.</summary>
    private abstract class Answer(string id) : Frame
    {
        protected override void WriteMembers(JsonWriter json)
        {
            json.WritePropertyName("id"u8);
            json.WriteRawValue(id);
            WriteOutcome(json);
        }

        protected abstract void WriteOutcome(JsonWriter json);
    }

    private sealed class ErrorAnswer(string id, int code, string message) : Answer(id)
    {
        protected override void WriteOutcome(JsonWriter json)
        {
            json.WriteStartObject("error"u8);
            json.WriteNumber("code"u8, code);
            json.WriteString("message"u8, message);
            json.WriteEndObject();
        }
    }

    private sealed class ResultAnswer(string id, RpcResult result) : Answer(id)
    {
        protected override void WriteOutcome(JsonWriter json)
        {
            json.WritePropertyName("result"u8);
            result.Write(json);
        }
    }

    private abstract class Pending
    {
        public CancellationTokenRegistration Cancellation { get; set; }
        public abstract void Complete(JsonValue result);
        public abstract void Fail(Exception e);
    }

    private sealed class Pending<T>(WireCodec<T> codec) : Pending
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _done.Task;

        public override void Complete(JsonValue result)
        {
            Cancellation.Dispose();
            _done.TrySetResult(codec.Read(result));
        }

        public override void Fail(Exception e)
        {
            Cancellation.Dispose();
            _done.TrySetException(e);
        }

        public void Cancel(CancellationToken token) => _done.TrySetCanceled(token);
    }
}
