using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace MediaServer.Signaling.Telemetry;

/// <summary>
/// The per-turn latency breakdown from a turn's <see cref="TurnMarks"/>: written into <c>response.done</c> as the
/// <c>latency</c> extension field (SDKs ignore it, the console shows it) and recorded as one histogram per stage, so an
/// operator sees where the time between the end of the user's speech and the first agent packet goes: the end-of-turn
/// wait (VAD silence and the semantic decision), STT's final pass, the LLM's first token, TTS's first audio, and the
/// hand-off to the transport.
/// </summary>
public static class TurnLatencyReport
{
    /// <summary>End of user speech to the end-of-turn decision (the silence waited for, by eagerness).</summary>
    public static readonly Histogram<double> EndOfTurnWait = RealtimeTelemetry.Meter.CreateHistogram<double>(
        "mediaserver.turn.end_of_turn_wait", unit: "ms", description: "End of user speech to the end-of-turn decision");

    /// <summary>End-of-turn decision to the final transcript.</summary>
    public static readonly Histogram<double> Transcript = RealtimeTelemetry.Meter.CreateHistogram<double>(
        "mediaserver.turn.transcript", unit: "ms", description: "End-of-turn decision to final transcript");

    /// <summary>Final transcript to the model's first token.</summary>
    public static readonly Histogram<double> FirstToken = RealtimeTelemetry.Meter.CreateHistogram<double>(
        "mediaserver.turn.first_token", unit: "ms", description: "Final transcript to first LLM token");

    /// <summary>First token to the first synthesized audio.</summary>
    public static readonly Histogram<double> FirstAudio = RealtimeTelemetry.Meter.CreateHistogram<double>(
        "mediaserver.turn.first_audio", unit: "ms", description: "First LLM token to first TTS audio");

    /// <summary>First synthesized audio to the first packet handed to the transport.</summary>
    public static readonly Histogram<double> FirstPacket = RealtimeTelemetry.Meter.CreateHistogram<double>(
        "mediaserver.turn.first_packet", unit: "ms", description: "First TTS audio to first audio packet sent");

    /// <summary>End of user speech to the first agent audio packet: what the caller hears as the gap.</summary>
    public static readonly Histogram<double> SpeechEndToFirstPacket = RealtimeTelemetry.Meter.CreateHistogram<double>(
        "mediaserver.turn.speech_end_to_first_packet", unit: "ms", description: "End of user speech to first agent audio packet");

    /// <summary>Writes the <c>latency</c> object; stages that did not happen are left out. <paramref name="origin"/> is
    /// where the response's clock starts when there was no user turn (<c>response.create</c>).</summary>
    public static void Write(Utf8JsonWriter w, in TurnMarks m, long origin)
    {
        w.WriteStartObject("latency");
        Field(w, "end_of_speech_to_turn_end_ms", m.SpeechEnded, m.TurnCommitted);
        // Historical name: measured from the end-of-turn decision (commit), as before the speech end was marked.
        Field(w, "end_of_speech_to_transcript_ms", m.TurnCommitted, m.TranscriptFinal);
        Field(w, "transcript_to_first_token_ms", m.TranscriptFinal, m.FirstToken);
        Field(w, "first_token_to_first_audio_ms", m.FirstToken, m.FirstAudio);
        Field(w, "first_audio_to_first_packet_ms", m.FirstAudio, m.FirstPacket);
        Field(w, "total_to_first_audio_ms", m.TurnCommitted != 0 ? m.TurnCommitted : origin, m.FirstAudio);
        Field(w, "end_of_speech_to_first_packet_ms", m.SpeechEnded, m.FirstPacket);
        w.WriteEndObject();
    }

    /// <summary>Records the stages of a finished turn in the histograms (no allocation).</summary>
    public static void Record(in TurnMarks m)
    {
        Record(EndOfTurnWait, m.SpeechEnded, m.TurnCommitted);
        Record(Transcript, m.TurnCommitted, m.TranscriptFinal);
        Record(FirstToken, m.TranscriptFinal, m.FirstToken);
        Record(FirstAudio, m.FirstToken, m.FirstAudio);
        Record(FirstPacket, m.FirstAudio, m.FirstPacket);
        Record(SpeechEndToFirstPacket, m.SpeechEnded, m.FirstPacket);
    }

    private static void Field(Utf8JsonWriter w, string name, long from, long to)
    {
        if (from != 0 && to != 0 && to >= from)
        {
            w.WriteNumber(name, Math.Round(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds, 1));
        }
    }

    private static void Record(Histogram<double> histogram, long from, long to)
    {
        if (from != 0 && to != 0 && to >= from)
        {
            histogram.Record(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds);
        }
    }
}
