using System.Buffers;
using System.Text;
using Komlogd.Protocol.Json;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Control;

/// <summary>
/// The agent's answer to <c>status</c> read straight from its JSON, for <c>komlogd status</c>: the serializer's
/// set-up for these records (a metadata object per property type, the constructor-parameter tables) was half of
/// what the command JIT-compiled, and more than the rest of its time (docs/cli.md, "The short commands' start").
/// Names come from the records (<c>nameof</c>), so a renamed field does not compile here until it is renamed
/// on the wire too; <c>StatusWireTests</c> checks both against the serializer's output.
/// </summary>
internal static class StatusWire
{
    public static AgentStatus Read(JsonValue r) => new(
        r.GetProperty(nameof(AgentStatus.Pid)).GetInt32(),
        r.GetProperty(nameof(AgentStatus.StartedAt)).GetString()!,
        r.GetProperty(nameof(AgentStatus.ConfigFile)).GetString()!,
        r.GetProperty(nameof(AgentStatus.UptimeSeconds)).GetDouble(),
        r.GetProperty(nameof(AgentStatus.StoreBytes)).GetInt64(),
        r.GetProperty(nameof(AgentStatus.SamplesPerSecond)).GetDouble(),
        r.GetProperty(nameof(AgentStatus.SamplesTotal)).GetInt64(),
        List(r, nameof(AgentStatus.Venvs), Venv),
        List(r, nameof(AgentStatus.Exports), Export),
        String(r, nameof(AgentStatus.StoreError)));

    /// <summary>
    /// The answer as <c>status --json</c> prints it (camelCase, indented; the schema in docs/protocol.md): the
    /// same fields in the same order, names converted as System.Text.Json's <c>JsonNamingPolicy.CamelCase</c> does (<see cref="CamelCase"/>).
    /// </summary>
    public static string ToJson(JsonValue r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteCamelCase(new JsonWriter(buffer, indented: true), r);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCamelCase(JsonWriter w, JsonValue e)
    {
        switch (e.ValueKind)
        {
            case JsonKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject())
                {
                    w.WritePropertyName(CamelCase(p.Name));
                    WriteCamelCase(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray())
                {
                    WriteCamelCase(w, item);
                }
                w.WriteEndArray();
                break;
            case JsonKind.String:
                w.WriteStringValue(e.GetString());
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }

    /// <summary>
    /// System.Text.Json's camel case: the leading capitals lowered, up to the last one before a small letter
    /// (<c>UptimeSeconds</c> → <c>uptimeSeconds</c>, <c>URLValue</c> → <c>urlValue</c>).
    /// </summary>
    internal static string CamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }
            if (i > 0 && i + 1 < chars.Length && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }
                break;
            }
            chars[i] = char.ToLowerInvariant(chars[i]);
        }
        return new string(chars);
    }

    private static VenvStatusDto Venv(JsonValue v) => new(
        v.GetProperty(nameof(VenvStatusDto.Name)).GetString()!,
        v.GetProperty(nameof(VenvStatusDto.State)).GetString()!,
        v.GetProperty(nameof(VenvStatusDto.Pid)) is { ValueKind: JsonKind.Number } pid ? pid.GetInt32() : null,
        v.GetProperty(nameof(VenvStatusDto.Restarts)).GetInt32(),
        v.GetProperty(nameof(VenvStatusDto.Since)).GetString()!,
        v.GetProperty(nameof(VenvStatusDto.UptimeSeconds)).GetDouble(),
        String(v, nameof(VenvStatusDto.LastError)),
        List(v, nameof(VenvStatusDto.Packages), p => new PackageDto(
            p.GetProperty(nameof(PackageDto.Name)).GetString()!,
            p.GetProperty(nameof(PackageDto.Version)).GetString()!,
            String(p, nameof(PackageDto.Error)))),
        v.TryGetProperty(nameof(VenvStatusDto.Runs), out var runs) && runs.ValueKind == JsonKind.Object
            ? new RunsDto(
                runs.GetProperty(nameof(RunsDto.Total)).GetInt64(),
                runs.GetProperty(nameof(RunsDto.Failed)).GetInt64(),
                runs.GetProperty(nameof(RunsDto.Running)).GetInt32(),
                runs.GetProperty(nameof(RunsDto.Pending)).GetInt32())
            : null);

    private static ExportStatusDto Export(JsonValue x) => new(
        x.GetProperty(nameof(ExportStatusDto.Target)).GetString()!,
        x.GetProperty(nameof(ExportStatusDto.Kind)).GetString()!,
        x.GetProperty(nameof(ExportStatusDto.State)).GetString()!,
        x.GetProperty(nameof(ExportStatusDto.LagSamples)).GetInt64(),
        x.GetProperty(nameof(ExportStatusDto.LagSeconds)).GetDouble(),
        String(x, nameof(ExportStatusDto.LastError)),
        x.GetProperty(nameof(ExportStatusDto.Sent)).GetInt64(),
        x.GetProperty(nameof(ExportStatusDto.Dropped)).GetInt64(),
        x.GetProperty(nameof(ExportStatusDto.Refused)).GetInt64());

    private static string? String(JsonValue e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonKind.String ? value.GetString() : null;

    private static T[] List<T>(JsonValue e, string name, Func<JsonValue, T> read)
    {
        if (!e.TryGetProperty(name, out var array) || array.ValueKind != JsonKind.Array)
        {
            return [];
        }
        var items = new T[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            items[i++] = read(item);
        }
        return items;
    }
}
