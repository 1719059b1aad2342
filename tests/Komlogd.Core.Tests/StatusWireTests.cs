using System.Text.Json;
using Komlogd.Core.Control;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Tests;

/// <summary>
/// <c>komlogd status</c> reads the agent's answer without the serializer (<see cref="StatusWire"/>): what it
/// reads and what <c>--json</c> prints must be what the serializer makes of the same records, field by field.
/// </summary>
public sealed class StatusWireTests
{
    private static readonly AgentStatus Full = new(
        4242, "2026-12-02T05:00:00.000Z", "/home/ana/.komlogd/komlogd.yaml", 3723.5, 2048, 2.5, 900,
        [
            new VenvStatusDto("default", "Running", 101, 2, "2026-12-02T05:00:01.000Z", 60.25, null,
                [new PackageDto("Kpack.Linux", "0.1.0", null), new PackageDto("Broken", "1.0.0", "no entry point: é")], new RunsDto(12, 1, 1, 3)),
            new VenvStatusDto("stopped", "Fatal", null, 5, "2026-12-02T05:00:02.000Z", 0, "exited 3 \"quoted\"", []),
        ],
        [new ExportStatusDto("http://127.0.0.1:9090/api/v1/write", "remote_write", "Backoff", 120, 7.5, "connection refused", 1000, 3, 4)],
        "disk full");

    public static TheoryData<AgentStatus> Statuses => new()
    {
        Full,
        Full with { Venvs = [], Exports = [], StoreError = null },
    };

    /// <summary>The agent's end writes the records with the serializer's defaults (StreamJsonRpc's SystemTextJsonFormatter).</summary>
    private static Komlogd.Protocol.Json.JsonValue OnTheWire(AgentStatus status) => Komlogd.Protocol.Json.JsonValue.Parse(JsonSerializer.Serialize(status));

    [Theory]
    [MemberData(nameof(Statuses))]
    public void WhatIsReadIsWhatWasSent(AgentStatus status)
    {
        var read = StatusWire.Read(OnTheWire(status));

        Assert.Equal(JsonSerializer.Serialize(status), JsonSerializer.Serialize(read));
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void JsonIsWhatTheSerializerPrintsInCamelCase(AgentStatus status)
    {
        // Escaped as komlogd's writer escapes: only what JSON requires (the 'é' stays itself).
        var expected = JsonSerializer.Serialize(status, new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

        Assert.Equal(expected, StatusWire.ToJson(OnTheWire(status)));
    }
}
