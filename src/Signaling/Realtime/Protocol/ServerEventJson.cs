using System.Buffers;
using System.Text.Json;

namespace MediaServer.Signaling.Realtime.Protocol;

/// <summary>
/// Builds one server event as UTF-8 JSON: <c>type</c> and a fresh <c>event_id</c> first, then the body.
/// Events are written by hand with <see cref="Utf8JsonWriter"/> so their field order and shapes follow the GA
/// protocol exactly and no reflection runs per event.
/// </summary>
public static class ServerEventJson
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static byte[] Build(string type, Action<Utf8JsonWriter>? body = null)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false }))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("event_id", RealtimeIds.Event());
            body?.Invoke(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An <c>error</c> event; every one built is counted in <c>mediaserver.errors</c> by code, so the metric
    /// covers each path that reports an error (client events, transport, responses, tools, upstream).</summary>
    public static byte[] Error(RealtimeError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Telemetry.RealtimeTelemetry.Errors.Add(1, new KeyValuePair<string, object?>("code", error.Code));
        return Build("error", w =>
        {
            w.WriteStartObject("error");
            w.WriteString("type", error.Type);
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            w.WriteString("param", error.Param);
            w.WriteString("event_id", error.EventId);
            w.WriteEndObject();
        });
    }
}
