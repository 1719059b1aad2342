using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Komlogd.PluginHost.Channel;

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
internal readonly struct RpcArgs(string method, JsonElement parameters)
{
    /// <summary>Argument <paramref name="index"/>, which must be there.</summary>
    /// <exception cref="RpcArgumentException">It is missing or not a <typeparamref name="T"/>.</exception>
    public T Get<T>(int index, JsonTypeInfo<T> info) =>
        TryGet(index, info, out var value) ? value : throw new RpcArgumentException($"{method}: argument {index} is missing");

    /// <summary>Argument <paramref name="index"/>, or default when the caller sent fewer.</summary>
    public T? GetOptional<T>(int index, JsonTypeInfo<T> info) => TryGet(index, info, out var value) ? value : default;

    private bool TryGet<T>(int index, JsonTypeInfo<T> info, out T value)
    {
        value = default!;
        if (parameters.ValueKind != JsonValueKind.Array || index >= parameters.GetArrayLength())
        {
            return false;
        }
        try
        {
            value = parameters[index].Deserialize(info)!;
            return true;
        }
        catch (JsonException e)
        {
            throw new RpcArgumentException($"{method}: argument {index} is not a {typeof(T).Name}: {e.Message}");
        }
    }
}

/// <summary>An answer's <c>result</c>, written when the answer is sent.</summary>
internal abstract class RpcResult
{
    public static readonly RpcResult Null = new NullResult();

    public static RpcResult Of<T>(T value, JsonTypeInfo<T> info) => new Value<T>(value, info);

    public abstract void Write(Utf8JsonWriter json);

    private sealed class NullResult : RpcResult
    {
        public override void Write(Utf8JsonWriter json) => json.WriteNullValue();
    }

    private sealed class Value<T>(T value, JsonTypeInfo<T> info) : RpcResult
    {
        public override void Write(Utf8JsonWriter json) => JsonSerializer.Serialize(json, value, info);
    }
}
