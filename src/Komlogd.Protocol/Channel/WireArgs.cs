using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Komlogd.Protocol.Channel;

/// <summary>A request's positional arguments, written into its <c>params</c> array when it is sent.</summary>
internal abstract class WireArgs
{
    /// <summary>No arguments: <c>"params": []</c>, as StreamJsonRpc sends a call without any.</summary>
    public static readonly WireArgs None = new NoArgs();

    public static WireArgs Of<T>(T arg, WireCodec<T> codec) => new One<T>(arg, codec);

    public static WireArgs Of<T1, T2>(T1 first, WireCodec<T1> firstCodec, T2 second, WireCodec<T2> secondCodec) =>
        new Two<T1, T2>(first, firstCodec, second, secondCodec);

    /// <summary>Writes the arguments, each an item of the open array.</summary>
    public abstract void Write(Utf8JsonWriter json);

    private sealed class NoArgs : WireArgs
    {
        public override void Write(Utf8JsonWriter json)
        {
        }
    }

    private sealed class One<T>(T arg, WireCodec<T> codec) : WireArgs
    {
        public override void Write(Utf8JsonWriter json) => codec.Write(json, arg);
    }

    private sealed class Two<T1, T2>(T1 first, WireCodec<T1> firstCodec, T2 second, WireCodec<T2> secondCodec) : WireArgs
    {
        public override void Write(Utf8JsonWriter json)
        {
            firstCodec.Write(json, first);
            secondCodec.Write(json, second);
        }
    }
}

/// <summary>
/// A type read and written by System.Text.Json's serializer through its source-generated contract: for the
/// agent's control socket, whose records (a status, an identification) are many and already have contracts
/// in the agent (the plugin host, which must stay small, uses <see cref="HostWire"/>'s codecs instead).
/// </summary>
internal sealed class JsonCodec<T>(JsonTypeInfo<T> info) : WireCodec<T>
{
    public override T Read(JsonElement json) =>
        json.ValueKind == JsonValueKind.Undefined ? throw new JsonException($"a {typeof(T).Name} is missing") : json.Deserialize(info)!;

    public override void Write(Utf8JsonWriter json, T value) => JsonSerializer.Serialize(json, value, info);
}
