using System.Buffers;
using System.Text.Json;
using Komlogd.Protocol.Channel;
using Komlogd.Protocol;
using Komlogd.Protocol.Json;

namespace Komlogd.PluginHost.Tests;

/// <summary>
/// The host's hand-written codecs against System.Text.Json's serializer with default options, which is what
/// the agent's StreamJsonRpc formatter reads and writes: each value written by the host reads back equal
/// with the serializer, and each value the serializer writes reads back equal with the host's codec.
/// </summary>
public sealed class HostWireTests
{
    public static TheoryData<string> Values => [.. Cases.Keys];

    private static readonly Dictionary<string, (object Value, Func<object, (string Expected, string Ours, string Theirs)> RoundTrips)> Cases = new()
    {
        ["long"] = Case(-1L << 60, HostWire.Int64),
        ["int"] = Case(int.MinValue, HostWire.Int32),
        ["string"] = Case<string?>("ünïcode \"q\" \\ \n\t\u0001 <>&'", HostWire.String),
        ["null string"] = Case<string?>(null, HostWire.String),
        ["string list"] = Case<IReadOnlyList<string>>(["a.b", "", "ü"], HostWire.StringList),
        ["initialize request"] = Case(new InitializeRequest(5, "v ü", "/x/Komlogd.Venv.dll"), HostWire.InitializeRequest),
        ["initialize result"] = Case(new InitializeResult(42, [new PackageInfo("P", "1.0", null), new PackageInfo("Q", "2", "no entry point", Permanent: true)]), HostWire.InitializeResult),
        ["run stats"] = Case(new RunStats(long.MaxValue, 3, 2), HostWire.RunStats),
        ["samples"] = Case<WireSample[]>([new("a.b", 1_700_000_000_000, SampleTypes.Datapoint, "0.5"), new("a.c", -1, SampleTypes.Datasource, "line 1\nline 2 ✓")], HostWire.WireSamples),
        ["no samples"] = Case<WireSample[]>([], HostWire.WireSamples),
        ["batch"] = Case(new SampleBatch(["a.b", "a.c", "a.d"], ["datapoint", "datasource", "datasource"], [0, 1, 2, 0], [1, 2, 3, 4], ["1", "x", "y", "2"], "pkg.method", [null, [], ["cpu", "mem.used"]]), HostWire.SampleBatch),
        ["plain batch"] = Case(new SampleBatch(["a.b"], ["datapoint"], [0], [1], ["1"]), HostWire.SampleBatch),
        ["get"] = Case(new GetRequest("a.b", null, 10, null, 5), HostWire.GetRequest),
        ["get all"] = Case(new GetRequest("a.b", "datapoint", null, 20, null), HostWire.GetRequest),
        ["log"] = Case(new LogEntry(LogLevels.Error, null, "failed: ü", "System.Exception: x\n   at y"), HostWire.LogEntry),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void WhatTheHostWritesTheSerializerReadsAndTheOtherWayRound(string name)
    {
        var (value, roundTrips) = Cases[name];
        var (expected, ours, theirs) = roundTrips(value);

        Assert.Equal(expected, ours);
        Assert.Equal(expected, theirs);
    }

    [Theory]
    [InlineData("""{"ProtocolVersion":"5","Venv":"v","EntryAssembly":"e"}""", "expected an integer, got a string")]
    [InlineData("""{"Venv":"v","EntryAssembly":"e"}""", "expected an object with 'ProtocolVersion', got an object")]
    [InlineData("""{"ProtocolVersion":5,"Venv":null,"EntryAssembly":"e"}""", "'Venv' is null")]
    [InlineData("""{"protocolVersion":5,"venv":"v","entryAssembly":"e"}""", "expected an object with 'ProtocolVersion', got an object")]
    [InlineData("""[5,"v","e"]""", "expected an object with 'ProtocolVersion', got an array")]
    public void AValueOfTheWrongShapeIsAJsonFormatExceptionSayingWhatWasExpected(string json, string message)
    {
        var value = JsonValue.Parse(json);

        var e = Assert.Throws<JsonFormatException>(() => HostWire.InitializeRequest.Read(value));

        Assert.Equal(message, e.Message);
    }

    private static (object, Func<object, (string, string, string)>) Case<T>(T value, WireCodec<T> codec) => (value!, v =>
    {
        var buffer = new ArrayBufferWriter<byte>();
        codec.Write(new JsonWriter(buffer), (T)v);
        var read = JsonSerializer.Deserialize<T>(buffer.WrittenSpan);
        var back = codec.Read(JsonValue.Parse(JsonSerializer.Serialize(v, typeof(T))));
        return (JsonSerializer.Serialize(v, typeof(T)), JsonSerializer.Serialize(read, typeof(T)), JsonSerializer.Serialize(back, typeof(T)));
    });
}
