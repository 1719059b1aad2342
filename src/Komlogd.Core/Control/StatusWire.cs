using System.Buffers;
using System.Text;
using System.Text.Json;
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
    public static AgentStatus Read(JsonElement r) => new(
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
    /// same fields in the same order, names converted as <see cref="JsonNamingPolicy.CamelCase"/> does.
    /// </summary>
    public static string ToJson(JsonElement r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteCamelCase(w, r);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCamelCase(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject())
                {
                    w.WritePropertyName(JsonNamingPolicy.CamelCase.ConvertName(p.Name));
                    WriteCamelCase(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray())
                {
                    WriteCamelCase(w, item);
                }
                w.WriteEndArray();
                break;
            case JsonValueKind.String:
                w.WriteStringValue(e.GetString());
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }

    private static VenvStatusDto Venv(JsonElement v) => new(
        v.GetProperty(nameof(VenvStatusDto.Name)).GetString()!,
        v.GetProperty(nameof(VenvStatusDto.State)).GetString()!,
        v.GetProperty(nameof(VenvStatusDto.Pid)) is { ValueKind: JsonValueKind.Number } pid ? pid.GetInt32() : null,
        v.GetProperty(nameof(VenvStatusDto.Restarts)).GetInt32(),
        v.GetProperty(nameof(VenvStatusDto.Since)).GetString()!,
        v.GetProperty(nameof(VenvStatusDto.UptimeSeconds)).GetDouble(),
        String(v, nameof(VenvStatusDto.LastError)),
        List(v, nameof(VenvStatusDto.Packages), p => new PackageDto(
            p.GetProperty(nameof(PackageDto.Name)).GetString()!,
            p.GetProperty(nameof(PackageDto.Version)).GetString()!,
            String(p, nameof(PackageDto.Error)))),
        v.TryGetProperty(nameof(VenvStatusDto.Runs), out var runs) && runs.ValueKind == JsonValueKind.Object
            ? new RunsDto(
                runs.GetProperty(nameof(RunsDto.Total)).GetInt64(),
                runs.GetProperty(nameof(RunsDto.Failed)).GetInt64(),
                runs.GetProperty(nameof(RunsDto.Running)).GetInt32(),
                runs.GetProperty(nameof(RunsDto.Pending)).GetInt32())
            : null);

    private static ExportStatusDto Export(JsonElement x) => new(
        x.GetProperty(nameof(ExportStatusDto.Target)).GetString()!,
        x.GetProperty(nameof(ExportStatusDto.Kind)).GetString()!,
        x.GetProperty(nameof(ExportStatusDto.State)).GetString()!,
        x.GetProperty(nameof(ExportStatusDto.LagSamples)).GetInt64(),
        x.GetProperty(nameof(ExportStatusDto.LagSeconds)).GetDouble(),
        String(x, nameof(ExportStatusDto.LastError)),
        x.GetProperty(nameof(ExportStatusDto.Sent)).GetInt64(),
        x.GetProperty(nameof(ExportStatusDto.Dropped)).GetInt64(),
        x.GetProperty(nameof(ExportStatusDto.Refused)).GetInt64());

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static T[] List<T>(JsonElement e, string name, Func<JsonElement, T> read)
    {
        if (!e.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
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
