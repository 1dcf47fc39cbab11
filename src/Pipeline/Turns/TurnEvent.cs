namespace MediaServer.Pipeline.Turns;

/// <summary>What a turn detector decided on a frame.</summary>
public enum TurnEventKind
{
    /// <summary>Nothing to report.</summary>
    None,

    /// <summary>Becomes <c>input_audio_buffer.speech_started</c>.</summary>
    SpeechStarted,

    /// <summary>Becomes <c>input_audio_buffer.speech_stopped</c>, then a commit.</summary>
    SpeechStopped,
}

/// <summary>
/// A turn boundary on the session's input timeline (milliseconds since the first input audio, REALTIME-PROTOCOL.md
/// §5.5). For <see cref="TurnEventKind.SpeechStarted"/>, <see cref="AudioMs"/> is <c>audio_start_ms</c>: the speech
/// onset minus <c>prefix_padding_ms</c>, never below zero. For <see cref="TurnEventKind.SpeechStopped"/> it is
/// <c>audio_end_ms</c>: the end of the frame on which the silence reached its required length, so it includes the
/// silence, as OpenAI documents ("includes the min_silence_duration_ms configured in the Session").
/// </summary>
public readonly record struct TurnEvent(TurnEventKind Kind, long AudioMs)
{
    public static TurnEvent None => default;

    public bool IsNone => Kind == TurnEventKind.None;
}
