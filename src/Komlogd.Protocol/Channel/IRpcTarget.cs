using Komlogd.Protocol.Json;

namespace Komlogd.Protocol.Channel;

/// <summary>What serves the agent's calls on an <see cref="RpcChannel"/>.</summary>
internal interface IRpcTarget
{
    /// <summary>
    /// Called on the channel's reader thread, one message at a time in the order they came: read the
    /// arguments here (they are gone when this returns) and return the answer to come, or null when there is
    /// no such method. Throw <see cref="RpcErrorException"/> for an error with a code of the protocol's.
    /// </summary>
    Task<RpcResult>? Invoke(string method, RpcArgs args);
}

/// <summary>The positional parameters of one request, readable while the target's <c>Invoke</c> runs.</summary>
internal readonly struct RpcArgs(string method, JsonValue parameters)
{
    /// <summary>Argument <paramref name="index"/>, which must be there.</summary>
    /// <exception cref="RpcArgumentException">It is missing or not a <typeparamref name="T"/>.</exception>
    public T Get<T>(int index, WireCodec<T> codec) =>
        TryGet(index, codec, out var value) ? value : throw new RpcArgumentException($"{method}: argument {index} is missing");

    /// <summary>Argument <paramref name="index"/>, or default when the caller sent fewer.</summary>
    public T? GetOptional<T>(int index, WireCodec<T> codec) => TryGet(index, codec, out var value) ? value : default;

    private bool TryGet<T>(int index, WireCodec<T> codec, out T value)
    {
        value = default!;
        if (parameters.ValueKind != JsonKind.Array || index >= parameters.GetArrayLength())
        {
            return false;
        }
        try
        {
            value = codec.Read(parameters[index]);
            return true;
        }
        catch (JsonFormatException e)
        {
            throw new RpcArgumentException($"{method}: argument {index} is not a {typeof(T).Name}: {e.Message}");
        }
    }
}

/// <summary>An answer's <c>result</c>, written when the answer is sent.</summary>
internal abstract class RpcResult
{
    public static readonly RpcResult Null = new NullResult();

    public static RpcResult Of<T>(T value, WireCodec<T> codec) => new Value<T>(value, codec);

    public abstract void Write(JsonWriter json);

    private sealed class NullResult : RpcResult
    {
        public override void Write(JsonWriter json) => json.WriteNullValue();
    }

    private sealed class Value<T>(T value, WireCodec<T> codec) : RpcResult
    {
        public override void Write(JsonWriter json) => codec.Write(json, value);
    }
}
