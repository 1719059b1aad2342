using Komlogd.Protocol.Json;

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
    public abstract void Write(JsonWriter json);

    private sealed class NoArgs : WireArgs
    {
        public override void Write(JsonWriter json)
        {
        }
    }

    private sealed class One<T>(T arg, WireCodec<T> codec) : WireArgs
    {
        public override void Write(JsonWriter json) => codec.Write(json, arg);
    }

    private sealed class Two<T1, T2>(T1 first, WireCodec<T1> firstCodec, T2 second, WireCodec<T2> secondCodec) : WireArgs
    {
        public override void Write(JsonWriter json)
        {
            firstCodec.Write(json, first);
            secondCodec.Write(json, second);
        }
    }
}
