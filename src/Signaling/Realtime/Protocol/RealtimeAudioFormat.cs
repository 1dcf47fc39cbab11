using System.Text.Json;

namespace MediaServer.Signaling.Realtime.Protocol;

/// <summary>The wire encodings of <c>audio.input.format</c> and <c>audio.output.format</c>.</summary>
public enum AudioEncoding
{
    /// <summary><c>audio/pcm</c>: 16-bit little-endian mono at 24 kHz.</summary>
    Pcm16,

    /// <summary><c>audio/pcmu</c>: G.711 µ-law at 8 kHz.</summary>
    PcmU,

    /// <summary><c>audio/pcma</c>: G.711 A-law at 8 kHz.</summary>
    PcmA,
}

/// <summary>One audio format of the Realtime GA protocol.</summary>
public readonly record struct RealtimeAudioFormat(AudioEncoding Encoding)
{
    public static RealtimeAudioFormat Pcm24k => new(AudioEncoding.Pcm16);

    public int SampleRate => Encoding == AudioEncoding.Pcm16 ? 24_000 : 8_000;

    /// <summary>Bytes per sample on the wire.</summary>
    public int BytesPerSample => Encoding == AudioEncoding.Pcm16 ? 2 : 1;

    public string TypeName => Encoding switch
    {
        AudioEncoding.PcmU => "audio/pcmu",
        AudioEncoding.PcmA => "audio/pcma",
        _ => "audio/pcm",
    };

    /// <summary>Decodes wire bytes into PCM at <see cref="SampleRate"/>; returns the samples written (a trailing odd byte of PCM is ignored).</summary>
    public int Decode(ReadOnlySpan<byte> wire, Span<short> pcm)
    {
        int samples = wire.Length / BytesPerSample;
        switch (Encoding)
        {
            case AudioEncoding.PcmU:
                MediaServer.Rtc.Codecs.G711.MuLawDecode(wire[..samples], pcm);
                break;
            case AudioEncoding.PcmA:
                MediaServer.Rtc.Codecs.G711.ALawDecode(wire[..samples], pcm);
                break;
            default:
                MediaServer.Pipeline.Audio.Pcm16.ToShorts(wire[..(samples * 2)], pcm);
                break;
        }

        return samples;
    }

    /// <summary>Encodes PCM at <see cref="SampleRate"/> into wire bytes; returns the bytes written.</summary>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> wire)
    {
        switch (Encoding)
        {
            case AudioEncoding.PcmU:
                MediaServer.Rtc.Codecs.G711.MuLawEncode(pcm, wire);
                break;
            case AudioEncoding.PcmA:
                MediaServer.Rtc.Codecs.G711.ALawEncode(pcm, wire);
                break;
            default:
                MediaServer.Pipeline.Audio.Pcm16.ToBytes(pcm, wire);
                break;
        }

        return pcm.Length * BytesPerSample;
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", TypeName);
        if (Encoding == AudioEncoding.Pcm16)
        {
            writer.WriteNumber("rate", 24_000);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a GA format object, or a beta string (<c>pcm16</c>, <c>g711_ulaw</c>, <c>g711_alaw</c>) for tolerance.
    /// </summary>
    public static bool TryParse(JsonElement element, out RealtimeAudioFormat format, out string? error)
    {
        format = Pcm24k;
        error = null;
        string? type = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Object when element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String => t.GetString(),
            _ => null,
        };
        switch (type)
        {
            case "audio/pcm" or "pcm16":
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("rate", out var rate)
                    && (rate.ValueKind != JsonValueKind.Number || !rate.TryGetInt32(out int r) || r != 24_000))
                {
                    error = "audio/pcm supports only rate 24000.";
                    return false;
                }

                format = new(AudioEncoding.Pcm16);
                return true;
            case "audio/pcmu" or "g711_ulaw":
                format = new(AudioEncoding.PcmU);
                return true;
            case "audio/pcma" or "g711_alaw":
                format = new(AudioEncoding.PcmA);
                return true;
            default:
                error = "Expected a format object with type audio/pcm, audio/pcmu or audio/pcma.";
                return false;
        }
    }
}
