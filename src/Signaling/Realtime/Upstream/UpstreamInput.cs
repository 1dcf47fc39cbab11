using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>What the input side tells its session when our VAD owns the turns.</summary>
internal interface IUpstreamTurnEvents
{
    void OnSpeechStarted(long audioStartMs);

    /// <summary>The turn's audio has been queued upstream: commit it.</summary>
    void OnSpeechStopped(long audioEndMs);
}

/// <summary>
/// The caller's audio on its way upstream: converted to 24 kHz and batched into appends. When the upstream owns
/// turn detection (or turns are manual) every sample is forwarded. When we own it, our <see cref="UpstreamTurnGate"/>
/// decides: between turns the audio only fills a pre-roll (the turn detector's prefix padding and its decision
/// delay), which is sent when speech starts, so the upstream's buffer holds the turn and not minutes of silence.
/// Runs under the session's lock.
/// </summary>
internal sealed class UpstreamInput : IDisposable
{
    /// <summary>Pre-roll beyond the prefix padding: covers the detector's decision delay.</summary>
    private const int DecisionDelayMs = 500;

    private readonly UpstreamAppendWriter _writer;
    private readonly UpstreamAudio _audio = new();
    private readonly UpstreamAudio _wire = new();
    private readonly Func<Pipeline.Vad.IVoiceActivityDetector> _createVad;
    private readonly IUpstreamTurnEvents _events;
    private readonly bool _localTurns;
    private UpstreamTurnGate? _gate;
    private short[] _preRoll = [];
    private int _preRollStart;
    private int _preRollLength;

    public UpstreamInput(UpstreamAppendWriter writer, bool localTurns, Func<Pipeline.Vad.IVoiceActivityDetector> createVad,
        IUpstreamTurnEvents events, TurnDetectionConfig? turnDetection)
    {
        _writer = writer;
        _localTurns = localTurns;
        _createVad = createVad;
        _events = events;
        Configure(turnDetection);
    }

    /// <summary>True while our gate hears a turn in progress.</summary>
    public bool Speaking => _gate?.Speaking == true;

    /// <summary>Applies the session's turn detection (only when we own turns; null means manual turns).</summary>
    public void Configure(TurnDetectionConfig? turnDetection)
    {
        if (!_localTurns || turnDetection is null)
        {
            _gate?.Dispose();
            _gate = null;
            return;
        }

        if (_gate is null)
        {
            _gate = new UpstreamTurnGate(_createVad(), turnDetection);
        }
        else
        {
            _gate.Reconfigure(turnDetection);
        }

        _preRoll = new short[UpstreamAudio.Rate * (turnDetection.PrefixPaddingMs + DecisionDelayMs) / 1000];
        _preRollStart = 0;
        _preRollLength = 0;
    }

    /// <summary>Audio in a Realtime wire format (a WebSocket client's append).</summary>
    public void AppendWire(ReadOnlySpan<byte> audio, Protocol.RealtimeAudioFormat format) =>
        AppendPcm(_wire.Decode(audio, format), format.SampleRate);

    /// <summary>PCM at <paramref name="sampleRate"/> (a call leg's frame, or decoded client audio).</summary>
    public void AppendPcm(ReadOnlySpan<short> pcm, int sampleRate)
    {
        if (_gate is null)
        {
            _writer.Append(_audio.Convert(pcm, sampleRate, UpstreamAudio.Rate));
            return;
        }

        _gate.Process(pcm, sampleRate, out long startedMs, out long stoppedMs);
        var pcm24 = _audio.Convert(pcm, sampleRate, UpstreamAudio.Rate);
        if (startedMs >= 0)
        {
            FlushPreRoll();
            _events.OnSpeechStarted(startedMs);
        }

        if (startedMs >= 0 || (_gate.Speaking || stoppedMs >= 0))
        {
            _writer.Append(pcm24);
        }
        else
        {
            KeepPreRoll(pcm24);
        }

        if (stoppedMs >= 0)
        {
            _writer.Flush();
            _events.OnSpeechStopped(stoppedMs);
        }
    }

    /// <summary>The client committed or cleared the buffer itself: queued audio goes (or is dropped) and the turn resets.</summary>
    public void OnClientCommit() => _writer.Flush();

    public void OnClientClear()
    {
        _writer.Discard();
        _gate?.Reset();
        _preRollLength = 0;
    }

    private void KeepPreRoll(ReadOnlySpan<short> pcm)
    {
        if (_preRoll.Length == 0)
        {
            return;
        }

        if (pcm.Length >= _preRoll.Length)
        {
            pcm[^_preRoll.Length..].CopyTo(_preRoll);
            _preRollStart = 0;
            _preRollLength = _preRoll.Length;
            return;
        }

        foreach (short s in pcm)
        {
            int at = (_preRollStart + _preRollLength) % _preRoll.Length;
            _preRoll[at] = s;
            if (_preRollLength < _preRoll.Length)
            {
                _preRollLength++;
            }
            else
            {
                _preRollStart = (_preRollStart + 1) % _preRoll.Length;
            }
        }
    }

    private void FlushPreRoll()
    {
        int first = Math.Min(_preRollLength, _preRoll.Length - _preRollStart);
        _writer.Append(_preRoll.AsSpan(_preRollStart, first));
        _writer.Append(_preRoll.AsSpan(0, _preRollLength - first));
        _preRollStart = 0;
        _preRollLength = 0;
    }

    public void Dispose() => _gate?.Dispose();
}
