using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>Small builders for the events we write to the upstream.</summary>
internal static class UpstreamJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Event(string type) => Serialize(new JsonObject { ["type"] = type });

    public static byte[] Truncate(string itemId, long audioEndMs) => Serialize(new JsonObject
    {
        ["type"] = "conversation.item.truncate",
        ["item_id"] = itemId,
        ["content_index"] = 0,
        ["audio_end_ms"] = audioEndMs,
    });

    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
