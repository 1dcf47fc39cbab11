using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// Turns our effective session into the <c>session.update</c> the upstream gets. The whole effective session is
/// mirrored each time (not the client's partial update), so the upstream behaves exactly as our
/// <c>session.updated</c> says, including our defaults. Translations:
/// <list type="bullet">
/// <item>audio formats are always <c>audio/pcm</c> 24 kHz both ways: we convert to and from the client's and the call's;</item>
/// <item><c>turn_detection</c> is <c>null</c> when our VAD owns turns (the upstream must not answer on its own);</item>
/// <item>the model goes in the URL for OpenAI (which cannot change it mid-session) and in the update for Inworld;</item>
/// <item><c>providerData</c> (Inworld's extension) reaches Inworld only; fields only we echo (<c>id</c>, <c>object</c>,
/// <c>expires_at</c>) and null <c>prompt</c>/<c>tracing</c> are left out;</item>
/// <item>the transcription model becomes the provider's <see cref="UpstreamProviderOptions.TranscriptionModel"/> when set;</item>
/// <item>our default prompt's lesson on expressive tags is dropped: the upstream's voice does not render them.</item>
/// </list>
/// </summary>
internal static class UpstreamSessionMirror
{
    public static byte[] Build(SessionConfig config, UpstreamTarget target, string? promptAdditions)
    {
        var session = Describe(config);
        var provider = target.Provider;
        session.Remove("object");
        session.Remove("id");
        session.Remove("expires_at");
        RemoveIfNull(session, "prompt");
        RemoveIfNull(session, "tracing");
        if (provider.IsInworld)
        {
            session["model"] = target.Model;
        }
        else
        {
            session.Remove("model");
            session.Remove("providerData");
        }

        if (!string.IsNullOrEmpty(promptAdditions) && (string?)session["instructions"] is { } instructions)
        {
            session["instructions"] = instructions.Replace("\n" + promptAdditions, string.Empty, StringComparison.Ordinal);
        }

        if (session["audio"] is JsonObject audio)
        {
            if (audio["input"] is JsonObject input)
            {
                input["format"] = Pcm24k();
                if (provider.LocalTurns)
                {
                    input["turn_detection"] = null;
                }

                if (provider.TranscriptionModel is { } model && input["transcription"] is JsonObject transcription)
                {
                    transcription["model"] = model;
                }
            }

            if (audio["output"] is JsonObject output)
            {
                output["format"] = Pcm24k();
            }
        }

        var update = new JsonObject { ["type"] = "session.update", ["session"] = session };
        return UpstreamJson.Serialize(update);
    }

    private static JsonObject Describe(SessionConfig config)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer))
        {
            config.WriteTo(w);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    private static JsonObject Pcm24k() => new() { ["type"] = "audio/pcm", ["rate"] = 24000 };

    private static void RemoveIfNull(JsonObject o, string name)
    {
        if (o.TryGetPropertyValue(name, out var value) && value is null)
        {
            o.Remove(name);
        }
    }
}
