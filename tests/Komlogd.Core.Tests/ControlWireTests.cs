using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Komlogd.Core.Control;
using Komlogd.Protocol;
using Komlogd.Protocol.Channel;
using Komlogd.Protocol.Control;
using Komlogd.Protocol.Json;
using Komlogd.TestKit;

namespace Komlogd.Core.Tests;

/// <summary>
/// The agent's end of the control socket (<see cref="ControlWire"/>, by hand) against its clients' end (the
/// serializer with <see cref="ControlWireJson"/>, as the short commands and Komlogd.Client use it): what the
/// agent writes is byte for byte what the serializer writes (once its strings are escaped as the serializer
/// escapes them: <see cref="SerializerEscapes"/>), and what the serializer writes reads back equal.
/// </summary>
public sealed class ControlWireTests
{
    public static TheoryData<string> Values => [.. Cases.Keys];

    private const string Awkward = "ünï \"q\" \\ \n\t\u0001 <>&'+ 🙂";

    private static readonly VenvStatusDto Venv = new("default", "Running", 4242, 3, "2026-12-04T05:00:00.123Z", 61.5, Awkward,
        [new PackageDto("Kpack.Linux", "0.1.0", null), new PackageDto("Broken", "2.0.0-beta.1", "no entry point")], new RunsDto(long.MaxValue, 7, 1, 0));

    private static readonly Dictionary<string, Func<(string Serializer, string Ours, string ReadBack)>> Cases = new()
    {
        ["samples"] = Case<ControlSample[]>(
            [new("a.b", "datapoint", 1_700_000_000_000, "0.5"), new("a.c", "datasource", null, Awkward, new DatasourceSupplies(["cpu", "mem.used"])),
             new("a.d", "datasource", -1, "", new DatasourceSupplies(null)), new("a.e", "datasource", 0, "x", new DatasourceSupplies([]))],
            ControlWire.Samples, ControlWireJson.Default.ControlSampleArray),
        ["no samples"] = Case<ControlSample[]>([], ControlWire.Samples, ControlWireJson.Default.ControlSampleArray),
        ["times"] = Case<long[]>([long.MinValue, 0, 1_700_000_000_000], ControlWire.Times, ControlWireJson.Default.Int64Array),
        ["identify request"] = Case(new IdentifyRequest("h.df", IdentifyOperations.Name, 1_700_000_000_000, 3, null, "used ü", Backfill: true, From: -5), ControlWire.IdentifyRequest, ControlWireJson.Default.IdentifyRequest),
        ["identify request, defaults"] = Case(new IdentifyRequest("h.df", IdentifyOperations.Show), ControlWire.IdentifyRequest, ControlWireJson.Default.IdentifyRequest),
        ["identify result"] = Case(new IdentifyResult("h.df", 1_700_000_000_000, Awkward,
            [new IdentifiedNumber(1, 0, 3, 123.4500m, "used"), new IdentifiedNumber(2, 9, 2, -0.000001m, null), new IdentifiedNumber(3, 12, 29, 79228162514264337593543950335m, null)],
            new IdentifyOutcome("used", "found", 123.45m), [new NameCheck("used", false, 10, 1, 0), new NameCheck("auto_x", true, 0, 0, 3)], 42),
            ControlWire.IdentifyResult, ControlWireJson.Default.IdentifyResult),
        ["identify result, nothing"] = Case(new IdentifyResult("h.df", null, null, [], new IdentifyOutcome("x", "missing", null), [], 0), ControlWire.IdentifyResult, ControlWireJson.Default.IdentifyResult),
        ["identify result, no outcome"] = Case(new IdentifyResult("h.df", 5, "t", [], null, [], 0), ControlWire.IdentifyResult, ControlWireJson.Default.IdentifyResult),
        ["status"] = Case(new AgentStatus(1234, "2026-12-04T05:00:00Z", "/home/u/.komlogd/komlogd.yaml", 0.1 + 0.2, long.MaxValue, 2.2, 99,
            [Venv, Venv with { Pid = null, LastError = null, Packages = [], Runs = null }],
            [new ExportStatusDto("http://p:9090/api/v1/write", "remote-write", "Backoff", 12, 1e-7, Awkward, 5, 0, 1)], "disk full"),
            ControlWire.AgentStatus, ControlWireJson.Default.AgentStatus),
        ["status, nothing"] = Case(new AgentStatus(1, "", "", 0, 0, 0, 0, [], []), ControlWire.AgentStatus, ControlWireJson.Default.AgentStatus),
        ["venv"] = Case(Venv, ControlWire.VenvStatus, ControlWireJson.Default.VenvStatusDto),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void WhatTheAgentWritesIsWhatTheSerializerWritesAndReadsBackEqual(string name)
    {
        var (serializer, ours, readBack) = Cases[name]();

        Assert.Equal(serializer, ours);
        Assert.Equal(serializer, readBack);
    }

    [Theory]
    [InlineData("""[{"Uri":"a","Type":"datapoint","T":1}]""", "expected an object with 'Value', got an object")]
    [InlineData("""[{"Uri":"a","Type":"datapoint","T":"1","Value":"1"}]""", "expected an integer, got a string")]
    [InlineData("""[{"Uri":"a","Type":"datapoint","T":1,"Value":"1","Supplies":["cpu"]}]""", "expected an object, got an array")]
    [InlineData("""{"Uri":"a"}""", "expected an array, got an object")]
    [InlineData("""[{"uri":"a","type":"datapoint","t":1,"value":"1"}]""", "expected an object with 'Uri', got an object")]
    public void ASampleOfTheWrongShapeIsAJsonFormatExceptionSayingWhatWasExpected(string json, string message)
    {
        var value = JsonValue.Parse(json);

        var e = Assert.Throws<JsonFormatException>(() => ControlWire.Samples.Read(value));

        Assert.Equal(message, e.Message);
    }

    /// <summary>
    /// The serializer's bytes; ours for the same value; and the serializer's bytes for what ours read from
    /// the serializer's (records with lists compare by their JSON).
    /// </summary>
    private static Func<(string, string, string)> Case<T>(T value, WireCodec<T> codec, JsonTypeInfo<T> info) => () =>
    {
        var buffer = new ArrayBufferWriter<byte>();
        codec.Write(new JsonWriter(buffer), value);
        var serializer = JsonSerializer.Serialize(value, info);
        return (serializer, SerializerEscapes.Apply(buffer.WrittenSpan), JsonSerializer.Serialize(codec.Read(JsonValue.Parse(serializer)), info));
    };
}
