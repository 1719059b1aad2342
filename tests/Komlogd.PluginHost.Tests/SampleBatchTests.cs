using Komlogd.Core;
using Komlogd.Core.DataPath;
using Komlogd.Core.Store;
using Komlogd.PluginHost;
using Komlogd.Protocol;
using Komlogd.Protocol.Channel;
using Komlogd.Sdk;

namespace Komlogd.PluginHost.Tests;

/// <summary>samples.insert's columnar batch: the host's encoding and the agent's reading of it.</summary>
public sealed class SampleBatchTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public void InterleavedMetricsArriveAsTheSameRowsInTheSameOrderEachMetricSentOnce()
    {
        var load = new Datapoint("host.load");
        var log = new Datasource("host.log");
        var samples = new List<Sample>
        {
            new(load, T0, 0.5m),
            new(log, T0, "started"),
            new(new Datapoint("host.load"), T0.AddMilliseconds(1), 12m), // an equal metric, another instance
            new(log, T0.AddMilliseconds(2), "ünïcode \"quoted\"\n"),
            new(new Anomaly(load), T0, 1),
        };

        var batch = WireSamples.ToBatch(samples);
        var rows = SampleBatchRows.Read(batch);

        Assert.Equal(["host.load", "host.log", "host.load._anomaly"], batch.Uris);
        Assert.Equal(["datapoint", "datasource", "datapoint"], batch.Types);
        Assert.Equal(
            [
                new NewSample("host.load", SampleType.Datapoint, T0.ToUnixTimeMilliseconds(), "0.5"),
                new NewSample("host.log", SampleType.Datasource, T0.ToUnixTimeMilliseconds(), "started"),
                new NewSample("host.load", SampleType.Datapoint, T0.ToUnixTimeMilliseconds() + 1, "12"),
                new NewSample("host.log", SampleType.Datasource, T0.ToUnixTimeMilliseconds() + 2, "ünïcode \"quoted\"\n"),
                new NewSample("host.load._anomaly", SampleType.Datapoint, T0.ToUnixTimeMilliseconds(), "1"),
            ],
            rows);
    }

    [Fact]
    public void SuppliesTravelWithTheirDatasourcesKeepingAbsentApartFromEmpty()
    {
        var batch = WireSamples.ToBatch(
        [
            new Sample(new Datapoint("host.load"), T0, 1m),
            new Sample(new Datasource("host.df"), T0, "absent"),
            new Sample(new Datasource("host.free", []), T0, "none"),
            new Sample(new Datasource("host.ps", ["a", "b.c"]), T0, "only"),
        ]);
        // Through the wire's serializer, as the channel carries it.
        var wire = System.Text.Json.JsonSerializer.Deserialize<SampleBatch>(System.Text.Json.JsonSerializer.Serialize(batch))!;

        var supplies = SampleBatchRows.ReadSupplies(wire)!;

        Assert.Equal(["host.df", "host.free", "host.ps"], supplies.Keys.Order(StringComparer.Ordinal));
        Assert.Null(supplies["host.df"]);
        Assert.Empty(supplies["host.free"]!);
        Assert.Equal(["a", "b.c"], supplies["host.ps"]!);
        Assert.Null(WireSamples.ToBatch([new Sample(new Datapoint("host.load"), T0, 1m)]).Supplies);
    }

    [Fact]
    public void ADatasourceAndADatapointAtOneUriStayTwoEntriesAndTheStoreRefusesTheBatch()
    {
        using var dir = new TempDir("batch");
        using var store = SampleStore.Open(dir["k.db"]);
        var batch = WireSamples.ToBatch([new Sample(new Datapoint("a.b"), T0, 1m), new Sample(new Datasource("a.b"), T0, "x")]);

        var e = Assert.Throws<KomlogdException>(() => store.Insert(SampleBatchRows.Read(batch)));

        Assert.Equal(["a.b", "a.b"], batch.Uris);
        Assert.Equal("uri 'a.b' holds datapoints; a datasource cannot be stored there", e.Message);
        Assert.Empty(store.List());
    }

    public static TheoryData<SampleBatch, string> Malformed => new()
    {
        { new SampleBatch(null!, ["datapoint"], [0], [1], ["1"]), "no uris" },
        { new SampleBatch(["a"], null!, [0], [1], ["1"]), "no types" },
        { new SampleBatch(["a"], ["datapoint"], null!, [1], ["1"]), "no uriIndex" },
        { new SampleBatch(["a"], ["datapoint"], [0], null!, ["1"]), "no t" },
        { new SampleBatch(["a"], ["datapoint"], [0], [1], null!), "no values" },
        { new SampleBatch(["a", "b"], ["datapoint"], [0], [1], ["1"]), "2 uris but 1 types" },
        { new SampleBatch(["a"], ["datapoint"], [0, 0], [1], ["1", "2"]), "uriIndex, t and values have 2, 1 and 2 entries" },
        { new SampleBatch(["a"], ["datapoint"], [0], [1], []), "uriIndex, t and values have 1, 1 and 0 entries" },
        { new SampleBatch([null!], ["datapoint"], [0], [1], ["1"]), "uri 0 is null" },
        { new SampleBatch(["a"], ["number"], [0], [1], ["1"]), "type 'number' of uri 'a' is neither datasource nor datapoint" },
        { new SampleBatch(["a"], ["datapoint"], [0, 1], [1, 2], ["1", "2"]), "sample 1 names uri 1 of 1" },
        { new SampleBatch(["a"], ["datapoint"], [-1], [1], ["1"]), "sample 0 names uri -1 of 1" },
        { new SampleBatch(["a"], ["datasource"], [0], [1], [null!]), "sample 0 has no value" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void AMalformedBatchIsRefusedWithOneLineAndTheInsertErrorCode(SampleBatch batch, string what)
    {
        var e = Assert.Throws<RpcErrorException>(() => SampleBatchRows.Read(batch));

        Assert.Equal($"malformed samples.insert batch: {what}", e.Message);
        Assert.Equal(10, e.Code);
    }
}
