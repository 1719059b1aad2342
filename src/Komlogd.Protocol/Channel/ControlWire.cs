using Komlogd.Protocol.Json;
using Komlogd.Protocol.Control;
using static Komlogd.Protocol.Channel.HostWire;

namespace Komlogd.Protocol.Channel;

/// <summary>
/// The control socket's records (docs/protocol.md, "Control socket"), read and written by hand as
/// <see cref="HostWire"/> does for the host channel, in System.Text.Json's default shape (PascalCase, the
/// records' order, nulls written, names matched exactly), so clients that use the serializer
/// (<c>komlogd</c>'s short commands, Komlogd.Client) read and write the same bytes. The agent's end uses these:
/// the serializer's metadata cost a running agent about a MiB after its first <c>status</c> or <c>-u</c>
/// (docs/benchmarks.md). <c>ControlWireTests</c> checks every codec against the serializer, both ways.
/// </summary>
internal static class ControlWire
{
    public static readonly WireCodec<ControlSample[]> Samples = new Codec<ControlSample[]>(
        e => [.. Array(e).Select(s => new ControlSample(
            RequiredString(s, "Uri"), RequiredString(s, "Type"), NullableInt64(Optional(s, "T")), RequiredString(s, "Value"),
            Optional(s, "Supplies") is { ValueKind: JsonKind.Object } supplies
                ? new DatasourceSupplies(Optional(supplies, "Names") is { ValueKind: JsonKind.Array } names ? Strings(names) : null)
                : Optional(s, "Supplies") is { ValueKind: JsonKind.Null or JsonKind.Undefined } ? null : throw Expected("an object", Optional(s, "Supplies"))))],
        (w, v) => WriteObjects(w, v, (w, s) =>
        {
            w.WriteString("Uri", s.Uri);
            w.WriteString("Type", s.Type);
            WriteNullable(w, "T", s.T);
            w.WriteString("Value", s.Value);
            WriteObject(w, "Supplies", s.Supplies, (w, supplies) =>
            {
                w.WritePropertyName("Names");
                WriteStrings(w, supplies.Names);
            });
        }));

    public static readonly WireCodec<long[]> Times = new Codec<long[]>(
        e => [.. Array(e).Select(HostWire.Int64.Read)],
        (w, v) => WriteArray(w, v, (w, t) => w.WriteNumberValue(t)));

    public static readonly WireCodec<IdentifyRequest> IdentifyRequest = new Codec<IdentifyRequest>(
        e => new IdentifyRequest(
            RequiredString(e, "Uri"), RequiredString(e, "Operation"), NullableInt64(Optional(e, "At")),
            NullableInt32(Optional(e, "Index")), NullableInt32(Optional(e, "Position")), NullableString(Optional(e, "Name")),
            Boolean(Optional(e, "Backfill")), NullableInt64(Optional(e, "From"))),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WriteString("Uri", v.Uri);
            w.WriteString("Operation", v.Operation);
            WriteNullable(w, "At", v.At);
            WriteNullable(w, "Index", v.Index);
            WriteNullable(w, "Position", v.Position);
            w.WriteString("Name", v.Name);
            w.WriteBoolean("Backfill", v.Backfill);
            WriteNullable(w, "From", v.From);
            w.WriteEndObject();
        });

    public static readonly WireCodec<IdentifyResult> IdentifyResult = new Codec<IdentifyResult>(
        e => new IdentifyResult(
            RequiredString(e, "Uri"), NullableInt64(Optional(e, "T")), NullableString(Optional(e, "Text")),
            [.. Array(Property(e, "Numbers")).Select(n => new IdentifiedNumber(
                HostWire.Int32.Read(Property(n, "Index")), HostWire.Int32.Read(Property(n, "Position")), HostWire.Int32.Read(Property(n, "Length")),
                Decimal(Property(n, "Value")), NullableString(Optional(n, "Name"))))],
            Optional(e, "Outcome") is { ValueKind: JsonKind.Object } o
                ? new IdentifyOutcome(RequiredString(o, "Name"), RequiredString(o, "Status"), NullableDecimal(Optional(o, "Value")))
                : null,
            [.. Array(Property(e, "Check")).Select(c => new NameCheck(
                RequiredString(c, "Name"), Boolean(Property(c, "Automatic")), HostWire.Int32.Read(Property(c, "Found")),
                HostWire.Int32.Read(Property(c, "Missing")), HostWire.Int32.Read(Property(c, "Ambiguous"))))],
            HostWire.Int32.Read(Property(e, "Backfilled"))),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WriteString("Uri", v.Uri);
            WriteNullable(w, "T", v.T);
            w.WriteString("Text", v.Text);
            w.WritePropertyName("Numbers");
            WriteObjects(w, v.Numbers, (w, n) =>
            {
                w.WriteNumber("Index", n.Index);
                w.WriteNumber("Position", n.Position);
                w.WriteNumber("Length", n.Length);
                w.WriteNumber("Value", n.Value);
                w.WriteString("Name", n.Name);
            });
            WriteObject(w, "Outcome", v.Outcome, (w, o) =>
            {
                w.WriteString("Name", o.Name);
                w.WriteString("Status", o.Status);
                if (o.Value is { } value)
                {
                    w.WriteNumber("Value", value);
                }
                else
                {
                    w.WriteNull("Value");
                }
            });
            w.WritePropertyName("Check");
            WriteObjects(w, v.Check, (w, c) =>
            {
                w.WriteString("Name", c.Name);
                w.WriteBoolean("Automatic", c.Automatic);
                w.WriteNumber("Found", c.Found);
                w.WriteNumber("Missing", c.Missing);
                w.WriteNumber("Ambiguous", c.Ambiguous);
            });
            w.WriteNumber("Backfilled", v.Backfilled);
            w.WriteEndObject();
        });

    public static readonly WireCodec<VenvStatusDto> VenvStatus = new Codec<VenvStatusDto>(ReadVenv, (w, v) =>
        {
            w.WriteStartObject();
            WriteVenvMembers(w, v);
            w.WriteEndObject();
        });

    public static readonly WireCodec<AgentStatus> AgentStatus = new Codec<AgentStatus>(
        e => new AgentStatus(
            HostWire.Int32.Read(Property(e, "Pid")), RequiredString(e, "StartedAt"), RequiredString(e, "ConfigFile"),
            Double(Property(e, "UptimeSeconds")), HostWire.Int64.Read(Property(e, "StoreBytes")), Double(Property(e, "SamplesPerSecond")),
            HostWire.Int64.Read(Property(e, "SamplesTotal")), [.. Array(Property(e, "Venvs")).Select(ReadVenv)],
            [.. Array(Property(e, "Exports")).Select(x => new ExportStatusDto(
                RequiredString(x, "Target"), RequiredString(x, "Kind"), RequiredString(x, "State"), HostWire.Int64.Read(Property(x, "LagSamples")),
                Double(Property(x, "LagSeconds")), NullableString(Optional(x, "LastError")), HostWire.Int64.Read(Property(x, "Sent")),
                HostWire.Int64.Read(Property(x, "Dropped")), HostWire.Int64.Read(Property(x, "Refused"))))],
            NullableString(Optional(e, "StoreError"))),
        (w, v) =>
        {
            w.WriteStartObject();
            w.WriteNumber("Pid", v.Pid);
            w.WriteString("StartedAt", v.StartedAt);
            w.WriteString("ConfigFile", v.ConfigFile);
            w.WriteNumber("UptimeSeconds", v.UptimeSeconds);
            w.WriteNumber("StoreBytes", v.StoreBytes);
            w.WriteNumber("SamplesPerSecond", v.SamplesPerSecond);
            w.WriteNumber("SamplesTotal", v.SamplesTotal);
            w.WritePropertyName("Venvs");
            WriteObjects(w, v.Venvs, WriteVenvMembers);
            w.WritePropertyName("Exports");
            WriteObjects(w, v.Exports, (w, x) =>
            {
                w.WriteString("Target", x.Target);
                w.WriteString("Kind", x.Kind);
                w.WriteString("State", x.State);
                w.WriteNumber("LagSamples", x.LagSamples);
                w.WriteNumber("LagSeconds", x.LagSeconds);
                w.WriteString("LastError", x.LastError);
                w.WriteNumber("Sent", x.Sent);
                w.WriteNumber("Dropped", x.Dropped);
                w.WriteNumber("Refused", x.Refused);
            });
            w.WriteString("StoreError", v.StoreError);
            w.WriteEndObject();
        });

    private static VenvStatusDto ReadVenv(JsonValue e) => new(
        RequiredString(e, "Name"), RequiredString(e, "State"), NullableInt32(Optional(e, "Pid")), HostWire.Int32.Read(Property(e, "Restarts")),
        RequiredString(e, "Since"), Double(Property(e, "UptimeSeconds")), NullableString(Optional(e, "LastError")),
        [.. Array(Property(e, "Packages")).Select(p => new PackageDto(RequiredString(p, "Name"), RequiredString(p, "Version"), NullableString(Optional(p, "Error"))))],
        Optional(e, "Runs") is { ValueKind: JsonKind.Object } r
            ? new RunsDto(HostWire.Int64.Read(Property(r, "Total")), HostWire.Int64.Read(Property(r, "Failed")), HostWire.Int32.Read(Property(r, "Running")), HostWire.Int32.Read(Property(r, "Pending")))
            : null);

    private static void WriteVenvMembers(JsonWriter w, VenvStatusDto v)
    {
        w.WriteString("Name", v.Name);
        w.WriteString("State", v.State);
        WriteNullable(w, "Pid", v.Pid);
        w.WriteNumber("Restarts", v.Restarts);
        w.WriteString("Since", v.Since);
        w.WriteNumber("UptimeSeconds", v.UptimeSeconds);
        w.WriteString("LastError", v.LastError);
        w.WritePropertyName("Packages");
        WriteObjects(w, v.Packages, (w, p) =>
        {
            w.WriteString("Name", p.Name);
            w.WriteString("Version", p.Version);
            w.WriteString("Error", p.Error);
        });
        WriteObject(w, "Runs", v.Runs, (w, r) =>
        {
            w.WriteNumber("Total", r.Total);
            w.WriteNumber("Failed", r.Failed);
            w.WriteNumber("Running", r.Running);
            w.WriteNumber("Pending", r.Pending);
        });
    }

    private static int? NullableInt32(JsonValue e) =>
        e.ValueKind is JsonKind.Null or JsonKind.Undefined ? null : HostWire.Int32.Read(e);

    private static bool Boolean(JsonValue e) => e.ValueKind switch
    {
        JsonKind.True => true,
        JsonKind.False or JsonKind.Undefined => false,
        _ => throw Expected("true or false", e),
    };

    private static double Double(JsonValue e) =>
        e.ValueKind == JsonKind.Number && e.TryGetDouble(out var v) ? v : throw Expected("a number", e);

    private static decimal Decimal(JsonValue e) =>
        e.ValueKind == JsonKind.Number && e.TryGetDecimal(out var v) ? v : throw Expected("a decimal number", e);

    private static decimal? NullableDecimal(JsonValue e) =>
        e.ValueKind is JsonKind.Null or JsonKind.Undefined ? null : Decimal(e);
}
