using System.Buffers;
using System.Text;
using Komlogd.Protocol.Json;

namespace Komlogd.Identification;

/// <summary>
/// A <see cref="ModelState"/> as JSON, by hand over <see cref="JsonWriter"/> and <see cref="JsonValue"/>,
/// in exactly the shape the serializer wrote it with <see cref="ModelStateJson"/> (camelCase, the records'
/// order, nulls left out; names matched exactly, unknown ones skipped, a missing one left at its default), so
/// states stored by earlier builds read back and new ones are byte for byte the same. The agent reads and
/// writes a state at every commit of a datasource's text: the serializer's metadata stayed in it for that,
/// about a MiB (docs/benchmarks.md). <c>ModelStateWireTests</c> checks it against the serializer.
/// </summary>
internal static class ModelStateWire
{
    public static string Write(ModelState state)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteNumber("version", state.Version);
        WriteList(w, "names", state.Names, WriteNamed);
        if (state.Automatic is { } automatic)
        {
            w.WriteStartObject("automatic");
            WriteList(w, "names", automatic.Names, (w, n) =>
            {
                w.WriteStartObject();
                Text(w, "name", n.Name);
                WriteStrings(w, "table", n.Table);
                Text(w, "row", n.Row);
                Text(w, "column", n.Column);
                w.WriteEndObject();
            });
            WriteStrings(w, "forgotten", automatic.Forgotten);
            WriteList(w, "tables", automatic.Tables, (w, t) =>
            {
                w.WriteStartObject();
                WriteStrings(w, "table", t.Table);
                WriteStrings(w, "labels", t.Labels);
                w.WriteBoolean("volatile", t.Volatile);
                w.WriteEndObject();
            });
            w.WriteEndObject();
        }
        w.WriteEndObject();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <returns>The state, or null for a JSON <c>null</c>.</returns>
    /// <exception cref="JsonFormatException">Not JSON, or a value of the wrong kind.</exception>
    public static ModelState? Read(string json)
    {
        var root = JsonValue.Parse(json);
        if (root.ValueKind == JsonKind.Null)
        {
            return null;
        }
        // A missing member is its type's default, not the record's initial value: the serializer sets init-only
        // members through one object initializer, so an absent version reads as 0 and an absent list as null.
        var state = new ModelState { Version = 0, Names = null!, Automatic = null! };
        foreach (var p in Object(root))
        {
            state = p.Name switch
            {
                "version" => state with { Version = Int32(p.Value) },
                "names" => state with { Names = List(p.Value, ReadNamed)! },
                "automatic" => state with { Automatic = ReadAutomatic(p.Value)! },
                _ => state,
            };
        }
        return state;
    }

    private static AutomaticState? ReadAutomatic(JsonValue e)
    {
        if (e.ValueKind == JsonKind.Null)
        {
            return null;
        }
        var automatic = new AutomaticState { Names = null!, Forgotten = null!, Tables = null! };
        foreach (var p in Object(e))
        {
            automatic = p.Name switch
            {
                "names" => automatic with
                {
                    Names = List(p.Value, n =>
                    {
                        string? name = null, row = null, column = null;
                        IReadOnlyList<string>? table = null;
                        foreach (var q in Object(n))
                        {
                            switch (q.Name)
                            {
                                case "name": name = String(q.Value); break;
                                case "table": table = Strings(q.Value); break;
                                case "row": row = String(q.Value); break;
                                case "column": column = String(q.Value); break;
                            }
                        }
                        return new AutomaticName(name!, table!, row!, column!);
                    })!,
                },
                "forgotten" => automatic with { Forgotten = Strings(p.Value)! },
                "tables" => automatic with
                {
                    Tables = List(p.Value, t =>
                    {
                        IReadOnlyList<string>? table = null, labels = null;
                        var isVolatile = false;
                        foreach (var q in Object(t))
                        {
                            switch (q.Name)
                            {
                                case "table": table = Strings(q.Value); break;
                                case "labels": labels = Strings(q.Value); break;
                                case "volatile": isVolatile = Boolean(q.Value); break;
                            }
                        }
                        return new TableHistory(table!, labels!, isVolatile);
                    })!,
                },
                _ => automatic,
            };
        }
        return automatic;
    }

    private static void WriteNamed(JsonWriter w, NamedValue n)
    {
        w.WriteStartObject();
        Text(w, "name", n.Name);
        WriteList(w, "positives", n.Positives, WriteContext);
        WriteList(w, "negatives", n.Negatives, WriteContext);
        w.WriteEndObject();
    }

    private static NamedValue ReadNamed(JsonValue e)
    {
        string? name = null;
        IReadOnlyList<NumberContext>? positives = null, negatives = null;
        foreach (var p in Object(e))
        {
            switch (p.Name)
            {
                case "name": name = String(p.Value); break;
                case "positives": positives = List(p.Value, ReadContext)!; break;
                case "negatives": negatives = List(p.Value, ReadContext)!; break;
            }
        }
        return new NamedValue(name!, positives!, negatives!);
    }

    private static void WriteContext(JsonWriter w, NumberContext c)
    {
        w.WriteStartObject();
        WriteStrings(w, "table", c.Table);
        Text(w, "column", c.Column);
        WriteStrings(w, "row", c.Row);
        WriteStrings(w, "label", c.Label);
        w.WriteNumber("rowIndex", c.RowIndex);
        Text(w, "left", c.Left);
        w.WriteNumber("leftGap", c.LeftGap);
        Text(w, "right", c.Right);
        w.WriteNumber("rightGap", c.RightGap);
        w.WriteNumber("ordinal", c.Ordinal);
        w.WriteNumber("count", c.Count);
        Text(w, "unit", c.Unit);
        w.WriteEndObject();
    }

    /// <summary>A context; a JSON null is a null item, which the model's completeness check refuses.</summary>
    private static NumberContext ReadContext(JsonValue e)
    {
        if (e.ValueKind == JsonKind.Null)
        {
            return null!;
        }
        var c = new NumberContext { Table = null!, Row = null!, Label = null!, RowIndex = 0, Unit = null! };
        foreach (var p in Object(e))
        {
            c = p.Name switch
            {
                "table" => c with { Table = Strings(p.Value)! },
                "column" => c with { Column = String(p.Value) },
                "row" => c with { Row = Strings(p.Value)! },
                "label" => c with { Label = Strings(p.Value)! },
                "rowIndex" => c with { RowIndex = Int32(p.Value) },
                "left" => c with { Left = String(p.Value) },
                "leftGap" => c with { LeftGap = Int32(p.Value) },
                "right" => c with { Right = String(p.Value) },
                "rightGap" => c with { RightGap = Int32(p.Value) },
                "ordinal" => c with { Ordinal = Int32(p.Value) },
                "count" => c with { Count = Int32(p.Value) },
                "unit" => c with { Unit = String(p.Value)! },
                _ => c,
            };
        }
        return c;
    }

    /// <summary>A property that is left out when null, as the serializer's <c>WhenWritingNull</c> does.</summary>
    private static void Text(JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>A list property, left out when null; a null item is written as <c>null</c>.</summary>
    private static void WriteList<T>(JsonWriter w, string name, IReadOnlyList<T>? items, Action<JsonWriter, T> item)
    {
        if (items is null)
        {
            return;
        }
        w.WriteStartArray(name);
        foreach (var i in items)
        {
            if (i is null)
            {
                w.WriteNullValue();
            }
            else
            {
                item(w, i);
            }
        }
        w.WriteEndArray();
    }

    private static void WriteStrings(JsonWriter w, string name, IReadOnlyList<string>? items) => WriteList(w, name, items, (w, s) => w.WriteStringValue(s));

    private static List<T>? List<T>(JsonValue e, Func<JsonValue, T> item) => e.ValueKind switch
    {
        JsonKind.Null => null,
        JsonKind.Array => [.. e.EnumerateArray().Select(item)],
        _ => throw Expected("an array", e),
    };

    private static List<string>? Strings(JsonValue e) => List(e, s => String(s)!);

    private static JsonValue.ObjectEnumerator Object(JsonValue e) =>
        e.ValueKind == JsonKind.Object ? e.EnumerateObject() : throw Expected("an object", e);

    private static string? String(JsonValue e) => e.ValueKind switch
    {
        JsonKind.String => e.GetString(),
        JsonKind.Null => null,
        _ => throw Expected("a string", e),
    };

    private static int Int32(JsonValue e) =>
        e.ValueKind == JsonKind.Number && e.TryGetInt32(out var v) ? v : throw Expected("an integer", e);

    private static bool Boolean(JsonValue e) => e.ValueKind switch
    {
        JsonKind.True => true,
        JsonKind.False => false,
        _ => throw Expected("true or false", e),
    };

    private static JsonFormatException Expected(string what, JsonValue e) =>
        new($"expected {what}, got {(e.ValueKind is JsonKind.Object or JsonKind.Array ? e.ValueKind.ToString().ToLowerInvariant() : e.GetRawText())}");
}
