using System.Text.Json.Serialization;

namespace Komlogd.Core.Installation;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VenvManifest))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class InstallJson : JsonSerializerContext;
