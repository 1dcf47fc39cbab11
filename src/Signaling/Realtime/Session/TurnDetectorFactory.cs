using MediaServer.Pipeline.Turns;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>Builds the pipeline's turn detector from a session's <c>turn_detection</c> settings.</summary>
internal static class TurnDetectorFactory
{
    /// <summary>Builds the detector; <paramref name="scorer"/> (null: the heuristics) judges <c>semantic_vad</c> pauses.</summary>
    public static ServerVadTurnDetector Create(TurnDetectionConfig config, IEndOfTurnScorer? scorer = null)
    {
        if (config.IsSemantic)
        {
            EagernessPolicy.TryParse(config.Eagerness, out var eagerness);
            return ServerVadTurnDetector.ForSemanticVad(eagerness, scorer);
        }

        return new ServerVadTurnDetector(new ServerVadOptions
        {
            Threshold = (float)config.Threshold,
            PrefixPaddingMs = config.PrefixPaddingMs,
            SilenceDurationMs = config.SilenceDurationMs,
        });
    }
}
