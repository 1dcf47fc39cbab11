using System.Text.Json.Nodes;
using MediaServer.Pipeline.Text;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// <c>providerData.tts</c> and <c>audio.output.model</c> applied to our TTS (REALTIME-PROTOCOL.md §6.2/§6.3).
/// <c>segmenter_strategy</c>: <c>fast_start</c> cuts the first piece at its first clause; <c>full_turn</c> speaks the
/// whole reply as one piece once the LLM has finished; <c>sentence</c>, <c>auto</c>, <c>balanced</c> and
/// <c>per_segment_context</c> use our sentence streamer. <c>steering_handling</c>, <c>delivery_mode</c>,
/// <c>conversational</c>, <c>language</c> and <c>user_turn_mode</c> are accepted and echoed but change nothing here.
/// </summary>
public static class InworldTtsSettings
{
    public static SegmentationMode Segmentation(JsonObject? providerData) =>
        ProviderData.String(ProviderData.Section(providerData, "tts"), "segmenter_strategy")?.ToLowerInvariant() switch
        {
            "fast_start" => SegmentationMode.FastStart,
            "full_turn" => SegmentationMode.FullTurn,
            _ => SegmentationMode.Sentence,
        };

    /// <summary>
    /// The engine for <paramref name="outputModel"/>: an embedded engine by name (<c>flite</c>, <c>espeak-ng</c>) when the
    /// server runs the embedded registry, else <paramref name="tts"/> (Inworld's model names map to our default).
    /// </summary>
    public static ITextToSpeech Engine(ITextToSpeech tts, string? outputModel) =>
        outputModel is not null && tts is TextToSpeechRegistry registry && registry.Get(outputModel) is { } named ? named : tts;
}
