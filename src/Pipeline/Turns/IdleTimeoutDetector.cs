namespace MediaServer.Pipeline.Turns;

/// <summary>
/// <c>server_vad</c>'s <c>idle_timeout_ms</c>: when the user stays silent for that long after the agent's last
/// response finished playing, the session sends <c>input_audio_buffer.timeout_triggered</c>, commits the silent audio
/// and starts a response (REALTIME-PROTOCOL.md §2). Like the turn detector it runs on the input timeline, fed once per
/// frame, so it needs no timer of its own and replays exactly in tests.
/// </summary>
/// <remarks>
/// OpenAI's <c>timeout_triggered</c> carries <c>audio_start_ms</c> (where the last response's playback ended, on the
/// input timeline) and <c>audio_end_ms</c> (where the timeout fired); their difference is about the timeout. The
/// detector fires once per arming: the session arms it when a response's audio has played out and disarms it when the
/// user starts speaking or a new response starts.
/// </remarks>
public sealed class IdleTimeoutDetector
{
    private long _armedAtMs;

    public IdleTimeoutDetector(int idleTimeoutMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(idleTimeoutMs);
        IdleTimeoutMs = idleTimeoutMs;
    }

    public int IdleTimeoutMs { get; }

    public bool IsArmed { get; private set; }

    /// <summary>
    /// Starts the wait from <paramref name="playbackEndMs"/>: the input-timeline position at which the last response's
    /// audio finished (or will finish) playing. Over WebSocket that is the position at <c>response.done</c> plus the
    /// audio the client still had to play; over WebRTC and SIP, where the server paces playout, when the last frame was sent.
    /// </summary>
    public void Arm(long playbackEndMs)
    {
        _armedAtMs = Math.Max(0, playbackEndMs);
        IsArmed = true;
    }

    /// <summary>Stops waiting (speech started, a response started, or the setting was turned off).</summary>
    public void Disarm() => IsArmed = false;

    /// <summary>
    /// Feeds one frame. Returns true once, on the frame where the silence since playback ended reaches the timeout
    /// while the user is not speaking; <paramref name="audioStartMs"/> and <paramref name="audioEndMs"/> are then the
    /// silent segment for <c>timeout_triggered</c>.
    /// </summary>
    public bool Process(long frameEndMs, TurnState userState, out long audioStartMs, out long audioEndMs)
    {
        audioStartMs = 0;
        audioEndMs = 0;
        if (!IsArmed)
        {
            return false;
        }

        if (userState is TurnState.Speaking or TurnState.Stopping)
        {
            // The user took the turn; the next response re-arms.
            IsArmed = false;
            return false;
        }

        if (userState is TurnState.Starting || frameEndMs - _armedAtMs < IdleTimeoutMs)
        {
            return false;
        }

        IsArmed = false;
        audioStartMs = _armedAtMs;
        audioEndMs = frameEndMs;
        return true;
    }
}
