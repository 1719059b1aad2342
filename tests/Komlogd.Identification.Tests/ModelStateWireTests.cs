using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Komlogd.Identification;
using Komlogd.Protocol.Json;

namespace Komlogd.Identification.Tests;

/// <summary>
/// The stored state's JSON by hand (<see cref="ModelStateWire"/>, what the agent runs) against the serializer
/// with <see cref="ModelStateJson"/> (what earlier builds wrote to users' stores): the same bytes out (strings
/// escaped only as JSON requires, as komlogd's writer escapes them), the same state in, the same refusals.
/// </summary>
public sealed class ModelStateWireTests
{
    /// <summary>The serializer's contract for the state, escaping as komlogd's JSON writer does.</summary>
    private static readonly JsonTypeInfo<ModelState> RelaxedEscapes = (JsonTypeInfo<ModelState>)new JsonSerializerOptions(ModelStateJson.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(ModelState));

    private const string Df1 = """
        Filesystem     1K-blocks    Used Available Use% Mounted on
        /dev/sda1       10000000 4000000   6000000  40% /
        tmpfs             100000       0    100000   0% /dev/shm
        """;

    private const string Df2 = """
        Filesystem        1K-blocks      Used Available Use% Mounted on
        /dev/sda1          10000000   4100000   5900000  41% /
        /dev/sdc1         900000000 100000000 800000000  12% /backup "q" <&> ü
        """;

    private const string Keys = "load: 0.42 (1 min)\ntemperature = 51.5C\nfree 12 GiB of 100 GiB\n";

    public static TheoryData<string> States => [.. Built.Keys];

    private static readonly Dictionary<string, Func<ModelState>> Built = new()
    {
        ["new"] = () => new DatasourceModel().State,
        ["a table, named, marked wrong, read again"] = () =>
        {
            var model = new DatasourceModel();
            model.Extract(Df1, Supplies.All);
            model.Name(Df1, 3, "root_used");
            model.Name(Df1, 1, "root_size");
            model.MarkWrong(Df1, 2, "root_size");
            model.Extract(Df2, Supplies.All);
            return model.State;
        },
        ["keys and units, one name forgotten"] = () =>
        {
            var model = new DatasourceModel();
            model.Name(Keys, 1, "load");
            model.Name(Keys, 3, "temperature");
            model.Name(Keys, 4, "free");
            Assert.True(model.Forget("free"));
            model.Extract(Keys, Supplies.All);
            return model.State;
        },
        ["every field by hand"] = () => new ModelState
        {
            Names =
            [
                new NamedValue("x \"ü\" <&>'+", [new NumberContext
                {
                    Table = ["a", "ü"], Column = "Use%", Row = ["/dev/sda1"], Label = ["l"], RowIndex = 3, Left = "load:", LeftGap = 1,
                    Right = "(1 min)", RightGap = 2, Ordinal = 4, Count = 5, Unit = "GiB",
                }], [new NumberContext()]),
            ],
            Automatic = new AutomaticState
            {
                Names = [new AutomaticName("auto_1", ["h1", "h2"], "r\n1", "c\t2")],
                Forgotten = ["gone", ""],
                Tables = [new TableHistory(["h1"], ["x", "y"], true), new TableHistory([], [], false)],
            },
        },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void TheStateIsWrittenAsTheSerializerWroteItAndReadsBackTheSame(string name)
    {
        var state = Built[name]();
        var serializer = JsonSerializer.Serialize(state, ModelStateJson.Default.ModelState);

        Assert.Equal(JsonSerializer.Serialize(state, RelaxedEscapes), ModelStateWire.Write(state));
        Assert.Equal(serializer, JsonSerializer.Serialize(ModelStateWire.Read(serializer), ModelStateJson.Default.ModelState));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"version":1,"extra":{"deep":[1,2]},"names":[]}""")]
    [InlineData("""{"Version":2,"names":[{"name":"x"}]}""")]
    [InlineData("""{"names":[{"name":"x","positives":[null],"negatives":[{"rowIndex":7}]}],"automatic":{"tables":[{"table":null,"volatile":true}]}}""")]
    [InlineData("""{"names":null,"automatic":null}""")]
    [InlineData("""{"version":1,"version":3}""")]
    [InlineData("null")]
    public void WhatTheSerializerReadsReadsTheSame(string json)
    {
        var theirs = JsonSerializer.Deserialize(json, ModelStateJson.Default.ModelState);
        var ours = ModelStateWire.Read(json);

        Assert.Equal(theirs is null, ours is null);
        if (theirs is not null)
        {
            Assert.Equal(JsonSerializer.Serialize(theirs, ModelStateJson.Default.ModelState), JsonSerializer.Serialize(ours, ModelStateJson.Default.ModelState));
        }
    }

    [Theory]
    [InlineData("{nope")]
    [InlineData("[]")]
    [InlineData("""{"version":"1"}""")]
    [InlineData("""{"version":1.5}""")]
    [InlineData("""{"names":{}}""")]
    [InlineData("""{"names":[{"name":3}]}""")]
    [InlineData("""{"automatic":{"tables":[{"volatile":"yes"}]}}""")]
    [InlineData("""{"names":[{"name":"x","positives":[{"rowIndex":null}]}]}""")]
    public void WhatTheSerializerRefusesIsRefused(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ModelStateJson.Default.ModelState));
        Assert.Throws<JsonFormatException>(() => ModelStateWire.Read(json));
        Assert.StartsWith("stored identification state is not valid: ", Assert.Throws<IdentificationException>(() => DatasourceModel.FromJson(json)).Message, StringComparison.Ordinal);
    }
}
