using MediaServer.Pipeline.Turns;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>Turn-taking choices of the session that go beyond OpenAI's fields.</summary>
public sealed partial class RealtimeSession
{
    /// <summary>
    /// <c>providerData.turn_detection.scorer</c>: which end-of-turn scorer <c>semantic_vad</c> consults at pauses.
    /// <c>heuristic</c> (default) reads the streaming transcript and the final pitch; <c>llm</c> asks the session's own
    /// chat model (cheaply, two tokens) and keeps the heuristics until it answers.
    /// </summary>
    internal static string EndOfTurnScorerName(SessionConfig config) =>
        (string?)(config.ProviderData?["turn_detection"]?["scorer"] as System.Text.Json.Nodes.JsonValue) ?? "heuristic";

    private IEndOfTurnScorer? CreateEndOfTurnScorer(SessionConfig config)
    {
        if (config.TurnDetection is not { IsSemantic: true } || EndOfTurnScorerName(config) != "llm")
        {
            return null;
        }

        try
        {
            return new ChatEndOfTurnScorer(Engines.ChatClients.Resolve(config.Model));
        }
        catch (MediaServer.Pipeline.Llm.UnknownModelException)
        {
            return null; // the response will report the unknown model; turn-taking keeps the heuristics
        }
    }

    /// <summary>Applies the turn detection settings and the end-of-turn scorer to the input pipeline.</summary>
    private void ConfigureTurns(SessionConfig config) =>
        _input.Configure(Inworld.InworldSttOverrides.Apply(config.TurnDetection, config.ProviderData), CreateEndOfTurnScorer(config));

    /// <summary>True when a <c>session.update</c> changes what <see cref="ConfigureTurns"/> applies.</summary>
    private static bool TurnsChanged(SessionConfig before, SessionConfig after) =>
        after.TurnDetection != before.TurnDetection || EndOfTurnScorerName(after) != EndOfTurnScorerName(before)
        || Inworld.InworldSttOverrides.Apply(after.TurnDetection, after.ProviderData) != Inworld.InworldSttOverrides.Apply(before.TurnDetection, before.ProviderData);
}
