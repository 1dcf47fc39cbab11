namespace MediaServer.Pipeline.Turns;

/// <summary>The four states of a VAD turn detector, with time hysteresis on both edges.</summary>
public enum TurnState
{
    /// <summary>No speech; waiting for a frame at or above the threshold.</summary>
    Quiet,

    /// <summary>Speech heard, but not yet for the minimum duration; a pause returns to <see cref="Quiet"/> (a click).</summary>
    Starting,

    /// <summary>Speech confirmed and <see cref="TurnEventKind.SpeechStarted"/> reported.</summary>
    Speaking,

    /// <summary>Silence after speech, not yet long enough to end the turn; speech returns to <see cref="Speaking"/>.</summary>
    Stopping,
}
