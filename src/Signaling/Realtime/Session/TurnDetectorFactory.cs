using MediaServer.Pipeline.Turns;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>Builds the pipeline's turn detector from a session's <c>turn_detection</c> settings.</summary>
internal static class TurnDetectorFactory
{
    public static ServerVadTurnDetector Create(TurnDetectionConfig config)
    {
        if (config.IsSemantic)
        {
            EagernessPolicy.TryParse(config.Eagerness, out var eagerness);
            return ServerVadTurnDetector.ForSemanticVad(eagerness);
        }

        return new ServerVadTurnDetector(new ServerVadOptions
        {
            Threshold = (float)config.Threshold,
            PrefixPaddingMs = config.PrefixPaddingMs,
            SilenceDurationMs = config.SilenceDurationMs,
        });
    }
}
