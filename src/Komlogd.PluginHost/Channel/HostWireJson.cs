using System.Text.Json;
using System.Text.Json.Serialization;
using Komlogd.Protocol;

namespace Komlogd.PluginHost.Channel;

/// <summary>
/// The host channel's types, serialised by generated code (no reflection, nothing compiled at first use).
/// Default options, as StreamJsonRpc's <c>SystemTextJsonFormatter</c> at the agent's end: PascalCase names,
/// read case-sensitively (docs/protocol.md).
/// </summary>
[JsonSerializable(typeof(InitializeRequest))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(WireSample[]))]
[JsonSerializable(typeof(RunStats))]
[JsonSerializable(typeof(SampleBatch))]
[JsonSerializable(typeof(GetRequest))]
[JsonSerializable(typeof(LogEntry))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class HostWireJson : JsonSerializerContext;
