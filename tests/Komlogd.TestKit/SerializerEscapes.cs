using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Komlogd.TestKit;

/// <summary>
/// komlogd's JSON writer (Komlogd.Protocol.Json) escapes only what JSON requires; System.Text.Json's default
/// encoder also escapes non-ASCII and HTML characters (<c>ü</c> as <c>\u00FC</c>). Comparing the two byte for
/// byte, the tests pass our text through this first: the same tokens in the same order, every string
/// written again by the serializer's writer, numbers and everything else untouched.
/// </summary>
public static class SerializerEscapes
{
    public static string Apply(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.RootElement.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Apply(string json) => Apply(Encoding.UTF8.GetBytes(json));
}
