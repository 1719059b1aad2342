using Komlogd.Protocol.Json;
using Komlogd.Protocol;

namespace Komlogd.Protocol.Channel;

/// <summary>How one type is read from and written to the channel.</summary>
internal abstract class WireCodec<T>
{
    /// <exception cref="JsonFormatException">The value is not a <typeparamref name="T"/>.</exception>
    public abstract T Read(JsonValue json);

    public abstract void Write(JsonWriter json, T value);
}

/// <summary>
/// The host channel's types, read and written by hand over <see cref="JsonWriter"/> and
/// <see cref="JsonValue"/>, as System.Text.Json's serializer with default options writes and reads them
/// at the agent's end: PascalCase names, read case-sensitively, nulls written (docs/protocol.md). Not the
/// serializer, even source-generated: its metadata and generic instantiations were 2.9 MiB of an idle
/// host's memory, the last step to 1.3× a bare <c>dotnet hello</c> (docs/benchmarks.md).
/// <c>HostWireTests</c> checks every codec against the serializer, both ways.
/// </summary>
internal static class HostWire
{
    public static readonly WireCodec<long> Int64 = new Codec<long>(
        e => e.ValueKind == JsonKind.Number && e.TryGetInt64(out var v) ? v : throw Expected("an integer", e),
        (w, v) => w.WriteNumberValue(v));

    public static readonly WireCodec<int> Int32 = new Codec<int>(
        e => e.ValueKind == JsonKind.Number && e.TryGetInt32(out var v) ? v : throw Expected("an integer", e),
        (w, v) => w.WriteNumberValue(v));

    public static readonly WireCodec<string?> String = new Codec<string?>(NullableString, (w, v) => WriteString(w, v));

    /// <summary>Any value, unread: the answer of a call whose result does not matter.</summary>
    public static readonly WireCodec<JsonValue> Any = new Codec<JsonValue>(e => e.ValueKind == JsonKind.Undefined ? default : e.Clone(), (w, v) => v.WriteTo(w));

    public static readonly WireCodec<IReadOnlyList<string>> StringList = new Codec<IReadOnlyList<string>>(
        e => [.. Array(e).Select(s => NullableString(s) ?? throw Expected("a string", s))],
        (w, v) => WriteStrings(w, v));

    public static readonly WireCodec<InitializeRequest> InitializeRequest = new Codec<InitializeRequest>(
        e => new InitializeRequest(Int32.Read(Property(e, "ProtocolVersion")), RequiredString(e, "Venv"), RequiredString(e, "EntryAssembly")),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WriteNumber("ProtocolVersion", v.ProtocolVersion);
            w.WriteString("Venv", v.Venv);
            w.WriteString("EntryAssembly", v.EntryAssembly);
            w.WriteEndObject();
        });

    public static readonly WireCodec<InitializeResult> InitializeResult = new Codec<InitializeResult>(
        e => new InitializeResult(Int32.Read(Property(e, "Pid")), [.. Array(Property(e, "Packages")).Select(ReadPackage)]),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WriteNumber("Pid", v.Pid);
            w.WritePropertyName("Packages");
            WriteObjects(w, v.Packages, (w, p) =>
            {
                w.WriteString("Name", p.Name);
                w.WriteString("Version", p.Version);
                w.WriteString("Error", p.Error);
                w.WriteBoolean("Permanent", p.Permanent);
            });
            w.WriteEndObject();
        });

    public static readonly WireCodec<RunStats> RunStats = new Codec<RunStats>(
        e => new RunStats(Int64.Read(Property(e, "Total")), Int64.Read(Property(e, "Failed")), Int32.Read(Property(e, "Running"))),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WriteNumber("Total", v.Total);
            w.WriteNumber("Failed", v.Failed);
            w.WriteNumber("Running", v.Running);
            w.WriteEndObject();
        });

    public static readonly WireCodec<WireSample[]> WireSamples = new Codec<WireSample[]>(
        e => [.. Array(e).Select(s => new WireSample(RequiredString(s, "Uri"), Int64.Read(Property(s, "T")), RequiredString(s, "Type"), RequiredString(s, "Value")))],
        (w, v) => WriteObjects(w, v, (w, s) =>
        {
            w.WriteString("Uri", s.Uri);
            w.WriteNumber("T", s.T);
            w.WriteString("Type", s.Type);
            w.WriteString("Value", s.Value);
        }));

    public static readonly WireCodec<SampleBatch> SampleBatch = new Codec<SampleBatch>(
        e => new SampleBatch(
            Strings(Property(e, "Uris")), Strings(Property(e, "Types")),
            [.. Array(Property(e, "UriIndex")).Select(Int32.Read)], [.. Array(Property(e, "T")).Select(Int64.Read)],
            Strings(Property(e, "Values")), NullableString(Optional(e, "Run")),
            Optional(e, "Supplies") is { ValueKind: JsonKind.Array } supplies
                ? [.. supplies.EnumerateArray().Select(s => s.ValueKind == JsonKind.Null ? null : Strings(s))]
                : null),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("Uris");
            WriteStrings(w, v.Uris);
            w.WritePropertyName("Types");
            WriteStrings(w, v.Types);
            w.WritePropertyName("UriIndex");
            WriteArray(w, v.UriIndex, (w, i) => w.WriteNumberValue(i));
            w.WritePropertyName("T");
            WriteArray(w, v.T, (w, t) => w.WriteNumberValue(t));
            w.WritePropertyName("Values");
            WriteStrings(w, v.Values);
            w.WriteString("Run", v.Run);
            w.WritePropertyName("Supplies");
            WriteArray(w, v.Supplies, WriteStrings);
            w.WriteEndObject();
        });

    public static readonly WireCodec<GetRequest> GetRequest = new Codec<GetRequest>(
        e => new GetRequest(RequiredString(e, "Uri"), NullableString(Optional(e, "Type")),
            NullableInt64(Optional(e, "Start")), NullableInt64(Optional(e, "End")), NullableInt64(Optional(e, "Count")) is { } n ? checked((int)n) : null),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WriteString("Uri", v.Uri);
            w.WriteString("Type", v.Type);
            WriteNullable(w, "Start", v.Start);
            WriteNullable(w, "End", v.End);
            WriteNullable(w, "Count", v.Count);
            w.WriteEndObject();
        });

    public static readonly WireCodec<LogEntry> LogEntry = new Codec<LogEntry>(
        e => new LogEntry(RequiredString(e, "Level"), NullableString(Optional(e, "Package")), RequiredString(e, "Message"), NullableString(Optional(e, "Exception"))),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WriteString("Level", v.Level);
            w.WriteString("Package", v.Package);
            w.WriteString("Message", v.Message);
            w.WriteString("Exception", v.Exception);
            w.WriteEndObject();
        });

    private static PackageInfo ReadPackage(JsonValue e) => new(
        RequiredString(e, "Name"), RequiredString(e, "Version"), NullableString(Optional(e, "Error")),
        Optional(e, "Permanent") is { ValueKind: JsonKind.True });

    internal static JsonValue Property(JsonValue e, string name) =>
        e.ValueKind == JsonKind.Object && e.TryGetProperty(name, out var value) ? value : throw new JsonFormatException($"expected an object with '{name}', got {Describe(e)}");

    internal static JsonValue Optional(JsonValue e, string name) =>
        e.ValueKind == JsonKind.Object ? (e.TryGetProperty(name, out var value) ? value : default) : throw Expected("an object", e);

    internal static JsonValue.ArrayEnumerator Array(JsonValue e) =>
        e.ValueKind == JsonKind.Array ? e.EnumerateArray() : throw Expected("an array", e);

    internal static string[] Strings(JsonValue e) => [.. Array(e).Select(s => NullableString(s) ?? throw Expected("a string", s))];

    internal static string RequiredString(JsonValue e, string name) => NullableString(Property(e, name)) ?? throw new JsonFormatException($"'{name}' is null");

    internal static string? NullableString(JsonValue e) => e.ValueKind switch
    {
        JsonKind.String => e.GetString(),
        JsonKind.Null or JsonKind.Undefined => null,
        _ => throw Expected("a string", e),
    };

    internal static long? NullableInt64(JsonValue e) =>
        e.ValueKind is JsonKind.Null or JsonKind.Undefined ? null : Int64.Read(e);

    private static void WriteString(JsonWriter w, string? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(value);
        }
    }

    internal static void WriteStrings(JsonWriter w, IEnumerable<string>? values) => WriteArray(w, values, (w, s) => w.WriteStringValue(s));

    /// <summary>An array of <paramref name="items"/>, or null.</summary>
    internal static void WriteArray<T>(JsonWriter w, IEnumerable<T>? items, Action<JsonWriter, T> item)
    {
        if (items is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartArray();
        foreach (var i in items)
        {
            item(w, i);
        }
        w.WriteEndArray();
    }

    /// <summary>An array of objects, each one's members written by <paramref name="members"/>; or null.</summary>
    internal static void WriteObjects<T>(JsonWriter w, IEnumerable<T>? items, Action<JsonWriter, T> members) =>
        WriteArray(w, items, (w, item) =>
        {
            w.WriteStartObject();
            members(w, item);
            w.WriteEndObject();
        });

    /// <summary>An object property written by <paramref name="members"/>, or <c>null</c>.</summary>
    internal static void WriteObject<T>(JsonWriter w, string name, T? value, Action<JsonWriter, T> members)
        where T : class
    {
        if (value is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        members(w, value);
        w.WriteEndObject();
    }

    internal static void WriteNullable(JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    internal static JsonFormatException Expected(string what, JsonValue e) => new($"expected {what}, got {Describe(e)}");

    private static string Describe(JsonValue e) => e.ValueKind switch
    {
        JsonKind.Undefined => "nothing",
        JsonKind.Object => "an object",
        JsonKind.Array => "an array",
        JsonKind.String => "a string",
        JsonKind.Number => $"the number {e.GetRawText()}",
        _ => e.GetRawText(),
    };

    internal sealed class Codec<T>(Func<JsonValue, T> read, Action<JsonWriter, T> write) : WireCodec<T>
    {
        public override T Read(JsonValue json) => read(json);

        public override void Write(JsonWriter json, T value) => write(json, value);
    }
}
