using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// Inworld's STT-level end-of-turn settings (<c>providerData.stt</c>, REALTIME-PROTOCOL.md §6.3/§6.6) mapped onto the
/// knobs our turn detector has. The session's <c>turn_detection</c> stays as the client set it (and is echoed so);
/// the detector runs on the effective config this returns:
/// <list type="bullet">
/// <item><c>vad_threshold</c> (0..1): <c>threshold</c> of <c>server_vad</c>; <c>0</c> means manual turns (no detection),
/// as on Inworld's STT API.</item>
/// <item><c>min_end_of_turn_silence</c> (ms): <c>silence_duration_ms</c> of <c>server_vad</c>.</item>
/// <item><c>max_turn_silence</c> (ms): caps <c>silence_duration_ms</c> of <c>server_vad</c>.</item>
/// <item><c>end_of_turn_confidence_threshold</c>: accepted, no knob (our semantic detector has no confidence score).</item>
/// </list>
/// Under <c>semantic_vad</c> only <c>vad_threshold: 0</c> applies: its silences come from the eagerness policy.
/// </summary>
public static class InworldSttOverrides
{
    public static TurnDetectionConfig? Apply(TurnDetectionConfig? turnDetection, JsonObject? providerData)
    {
        var stt = ProviderData.Section(providerData, "stt");
        if (turnDetection is null || stt is null) return turnDetection;
        if (ProviderData.Number(stt, "vad_threshold", 0, 1) is double threshold)
        {
            if (threshold == 0) return null;
            if (!turnDetection.IsSemantic) turnDetection = turnDetection with { Threshold = threshold };
        }

        if (turnDetection.IsSemantic) return turnDetection;
        if (ProviderData.Number(stt, "min_end_of_turn_silence", 0, 10_000) is double min)
        {
            turnDetection = turnDetection with { SilenceDurationMs = (int)min };
        }

        if (ProviderData.Number(stt, "max_turn_silence", 0, 10_000) is double max && turnDetection.SilenceDurationMs > max)
        {
            turnDetection = turnDetection with { SilenceDurationMs = (int)max };
        }

        return turnDetection;
    }
}
