namespace MediaServer.Pipeline.Turns;

/// <summary>
/// Decides when silence after speech ends the user's turn. <c>server_vad</c> uses a fixed silence
/// (<see cref="SilenceDurationStrategy"/>); <c>semantic_vad</c> uses <see cref="EagernessTurnEndStrategy"/>, which asks
/// an <see cref="IEndOfTurnScorer"/> how complete the turn sounds. The session swaps strategies on <c>session.update</c>.
/// </summary>
public interface ITurnEndStrategy
{
    /// <summary>Called on every frame of the stopping state; true ends the turn.</summary>
    /// <param name="silenceMs">Silence since the last speech frame ended.</param>
    /// <param name="speechMs">Length of the turn from its onset to the last speech frame.</param>
    bool ShouldEndTurn(int silenceMs, int speechMs);

    /// <summary>Called when a new turn starts, to forget per-turn state.</summary>
    void Reset();

    /// <summary>
    /// Sees every 16 kHz frame while a turn is starting or in progress, with the VAD's verdict, before
    /// <see cref="ShouldEndTurn"/> is asked about it (strategies that listen to prosody use it). Must not allocate.
    /// </summary>
    void ObserveFrame(ReadOnlySpan<short> frame16k, bool speech)
    {
    }
}
