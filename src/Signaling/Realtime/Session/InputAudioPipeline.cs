using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// The input side of one session: wire audio or transport frames are converted to 16 kHz, cut into 20 ms frames,
/// scored by the VAD and segmented into turns; the uncommitted audio is kept for commit and the user's speech is fed
/// to the recogniser as it arrives, so only the final pass remains when the turn ends. Every method runs under the
/// session's lock. Buffers are reused: nothing is allocated per frame.
/// </summary>
internal sealed class InputAudioPipeline : IDisposable
{
    private const int FrameSamples = AudioConstants.PipelineFrameSamples;
    private const int SamplesPerMs = AudioConstants.PipelineSampleRate / 1000;

    private readonly RealtimeEngines _engines;
    private readonly IInputAudioEvents _events;
    private readonly int _maxBufferSamples;
    private readonly IVoiceActivityDetector _vad;
    private readonly short[] _frame = new short[FrameSamples];
    private readonly short[] _cleanFrame = new short[FrameSamples];
    private NoiseSuppressor? _suppressor;
    private short[] _decoded = new short[4096];
    private short[] _resampled = new short[4096];
    private short[] _buffer = new short[16_000 * 10];
    private int _frameFill;
    private IResampler? _resampler;
    private ServerVadTurnDetector? _segmenter;
    private ISpeechRecognitionStream? _recognizer;
    private MediaServer.Pipeline.Profile.IVoiceProfileAnalyzer? _analyzer;
    private readonly MediaServer.Pipeline.Profile.VoiceProfileBaseline _baseline = new();

    /// <summary>Samples at 16 kHz since the session started: the input timeline.</summary>
    private long _timelineSamples;

    /// <summary>Timeline position of <c>_buffer[0]</c>.</summary>
    private long _bufferStart;
    private int _bufferLength;
    private bool _speaking;
    private IdleTimeoutDetector? _idle;

    public InputAudioPipeline(RealtimeEngines engines, IInputAudioEvents events, int maxBufferSeconds)
    {
        _engines = engines;
        _events = events;
        _maxBufferSamples = maxBufferSeconds * AudioConstants.PipelineSampleRate;
        _vad = engines.CreateVad();
    }

    /// <summary>The item id of the turn in progress (after speech started), if any.</summary>
    public string? SpeechItemId { get; private set; }

    public long TimelineMs => _timelineSamples / SamplesPerMs;

    public int BufferedMs => _bufferLength / SamplesPerMs;

    /// <summary>The longest uncommitted audio the buffer holds, in milliseconds.</summary>
    public int MaxBufferMs => _maxBufferSamples / SamplesPerMs;

    /// <summary>
    /// True when <paramref name="samples"/> more at <paramref name="sampleRate"/> would take the uncommitted audio past
    /// its maximum with manual turns: the append is then refused whole, so what the client buffered stays intact for its
    /// commit. Under turn detection a frame is never refused (the detector must keep hearing the audio to end the turn);
    /// a turn longer than the maximum keeps its latest audio instead. One frame of margin covers the resampler's
    /// rounding, so an accepted append never reaches the trimming below.
    /// </summary>
    public bool WouldOverflow(int samples, int sampleRate) =>
        _segmenter is null
        && _bufferLength + _frameFill + (long)samples * AudioConstants.PipelineSampleRate / sampleRate + FrameSamples > _maxBufferSamples;

    public bool Speaking => _speaking;

    /// <summary>The acoustic end of the last turn's speech on the input timeline (before the silence the detector waited).</summary>
    public long LastSpeechEndMs => _segmenter?.LastSpeechEndMs ?? TimelineMs;

    /// <summary>Input timeline position of the last frame the VAD heard voice in (back-channel pauses).</summary>
    public long LastVoiceMs { get; private set; }

    /// <summary>The recogniser's hypothesis of the turn in progress (empty outside speech).</summary>
    public string PartialTranscript => _speaking ? _recognizer?.Partial ?? string.Empty : string.Empty;

    /// <summary>The end-of-turn strategy when the session uses <c>semantic_vad</c>.</summary>
    internal EagernessTurnEndStrategy? SemanticStrategy => _segmenter?.EndStrategy as EagernessTurnEndStrategy;

    /// <summary>Applies new turn detection settings (null: manual turns); <paramref name="scorer"/> replaces
    /// <c>semantic_vad</c>'s heuristic end-of-turn scorer.</summary>
    public void Configure(TurnDetectionConfig? turnDetection, IEndOfTurnScorer? scorer = null)
    {
        _segmenter = turnDetection is null ? null : TurnDetectorFactory.Create(turnDetection, scorer);
        _idle = turnDetection?.IdleTimeoutMs is int idleMs ? new IdleTimeoutDetector(idleMs) : null;
        if (turnDetection is null && _speaking)
        {
            _speaking = false;
        }

        if (_speaking && _recognizer is { } recognizer && SemanticStrategy is { } semantic)
        {
            semantic.Transcript = () => recognizer.Partial;
            semantic.TranscriptLagMs = () => recognizer.PartialLagMs;
        }
    }

    /// <summary>
    /// Applies <c>audio.input.noise_reduction</c> (<c>near_field</c>, <c>far_field</c> or null): the suppressor runs on
    /// every 16 kHz frame before the VAD, the recogniser and the stored turn, as OpenAI's does.
    /// </summary>
    public void ConfigureNoiseReduction(string? type)
    {
        var profile = type switch
        {
            "near_field" => NoiseSuppressionProfile.NearField,
            "far_field" => NoiseSuppressionProfile.FarField,
            _ => null,
        };
        if (profile?.Name != _suppressor?.Profile.Name)
        {
            _suppressor = profile is null ? null : new NoiseSuppressor(profile);
        }
    }

    /// <summary>Appends audio in a Realtime wire format.</summary>
    public void AppendWire(ReadOnlySpan<byte> audio, RealtimeAudioFormat format)
    {
        EnsureCapacity(ref _decoded, audio.Length / format.BytesPerSample);
        AppendPcm(_decoded.AsSpan(0, format.Decode(audio, _decoded)), format.SampleRate);
    }

    /// <summary>Appends 16-bit mono PCM at <paramref name="sampleRate"/>.</summary>
    public void AppendPcm(ReadOnlySpan<short> pcm, int sampleRate)
    {
        if (_resampler is null || _resampler.InputRate != sampleRate)
        {
            _resampler = Resampler.Create(sampleRate, AudioConstants.PipelineSampleRate);
        }

        int max = _resampler.MaxOutputSamples(pcm.Length);
        EnsureCapacity(ref _resampled, max);
        int n = _resampler.Process(pcm, _resampled);
        var converted = _resampled.AsSpan(0, n);
        while (!converted.IsEmpty)
        {
            int take = Math.Min(FrameSamples - _frameFill, converted.Length);
            converted[..take].CopyTo(_frame.AsSpan(_frameFill));
            _frameFill += take;
            converted = converted[take..];
            if (_frameFill == FrameSamples)
            {
                _frameFill = 0;
                if (_suppressor is null)
                {
                    ProcessFrame(_frame);
                }
                else
                {
                    _suppressor.Process(_frame, _cleanFrame);
                    ProcessFrame(_cleanFrame);
                }
            }
        }
    }

    private void ProcessFrame(ReadOnlySpan<short> frame)
    {
        AppendToBuffer(frame);
        _timelineSamples += frame.Length;
        float probability = _vad.Process(frame);
        if (probability >= 0.5f)
        {
            LastVoiceMs = TimelineMs;
        }
        if (_speaking)
        {
            _recognizer?.Write(frame);
            _analyzer?.Write(frame);
        }

        _events.OnInputFrame(frame, probability, TimelineMs);
        if (_segmenter is null)
        {
            return;
        }

        var turn = _segmenter.Process(frame, probability, TimelineMs);
        if (!_speaking && _idle is not null && _idle.Process(TimelineMs, _segmenter.State, out long idleStart, out long idleEnd))
        {
            _events.OnIdleTimeout(idleStart, idleEnd);
        }

        switch (turn.Kind)
        {
            case TurnEventKind.SpeechStarted when !_speaking:
                StartSpeech(turn.AudioMs);
                break;
            case TurnEventKind.SpeechStopped when _speaking:
                _speaking = false;
                _events.OnSpeechStopped(SpeechItemId!, turn.AudioMs);
                break;
        }

        if (!_speaking)
        {
            // Under turn detection, quiet audio older than a second can never become part of a turn.
            TrimBufferTo(AudioConstants.PipelineSampleRate);
        }
    }

    /// <summary>
    /// Arms <c>idle_timeout_ms</c> from <paramref name="playbackEndMs"/>, the input-timeline position where the agent's
    /// last response finishes playing: if no speech starts within the timeout after it, the session is told once.
    /// Speech disarms it.
    /// </summary>
    public void ArmIdleTimeout(long playbackEndMs) => _idle?.Arm(playbackEndMs);

    /// <summary>Stops waiting for <c>idle_timeout_ms</c> (a response started).</summary>
    public void DisarmIdleTimeout() => _idle?.Disarm();

    private void StartSpeech(long audioStartMs)
    {
        _speaking = true;
        _idle?.Disarm();
        SpeechItemId = RealtimeIds.Item();
        long startSample = Math.Max(_bufferStart, audioStartMs * SamplesPerMs);
        DropBufferBefore(startSample);
        _recognizer?.Dispose();
        var recognizer = _recognizer = _engines.SpeechToText.StartUtterance(_events.TranscriptionRequest);
        _recognizer.Write(_buffer.AsSpan(0, _bufferLength));
        if (SemanticStrategy is { } semantic)
        {
            // semantic_vad reads the streaming transcript at each pause to judge whether the turn is complete.
            semantic.Transcript = () => recognizer.Partial;
            semantic.TranscriptLagMs = () => recognizer.PartialLagMs;
        }

        _analyzer?.Dispose();
        _analyzer = _engines.VoiceProfiler?.Start(_baseline);
        _analyzer?.Write(_buffer.AsSpan(0, _bufferLength));
        _events.OnSpeechStarted(SpeechItemId, audioStartMs);
    }

    /// <summary>
    /// Takes the uncommitted audio as a user turn: returns its 16 kHz samples and a recogniser that has heard them
    /// (the one fed during speech, or a new one), or false when there is less than <paramref name="minimumMs"/>.
    /// </summary>
    public bool TryCommit(int minimumMs, string? preferredItemId, out short[] audio16k, out ISpeechRecognitionStream recognizer,
        out MediaServer.Pipeline.Profile.IVoiceProfileAnalyzer? analyzer, out string itemId)
    {
        audio16k = [];
        recognizer = null!;
        analyzer = null;
        itemId = SpeechItemId ?? preferredItemId ?? RealtimeIds.Item();
        if (_bufferLength < minimumMs * SamplesPerMs || _bufferLength == 0)
        {
            return false;
        }

        audio16k = _buffer.AsSpan(0, _bufferLength).ToArray();
        if (_recognizer is null)
        {
            _recognizer = _engines.SpeechToText.StartUtterance(_events.TranscriptionRequest);
            _recognizer.Write(audio16k);
        }

        if (_analyzer is null && _engines.VoiceProfiler is not null)
        {
            _analyzer = _engines.VoiceProfiler.Start(_baseline);
            _analyzer.Write(audio16k);
        }

        recognizer = _recognizer;
        _recognizer = null;
        analyzer = _analyzer;
        _analyzer = null;
        SpeechItemId = null;
        _speaking = false;
        _segmenter?.Reset(TimelineMs);
        _bufferStart += _bufferLength;
        _bufferLength = 0;
        return true;
    }

    /// <summary>Drops the uncommitted audio (input_audio_buffer.clear).</summary>
    public void Clear()
    {
        _recognizer?.Dispose();
        _recognizer = null;
        _analyzer?.Dispose();
        _analyzer = null;
        SpeechItemId = null;
        _speaking = false;
        _segmenter?.Reset(TimelineMs);
        _bufferStart += _bufferLength;
        _bufferLength = 0;
    }

    private void AppendToBuffer(ReadOnlySpan<short> frame)
    {
        if (_bufferLength + frame.Length > _maxBufferSamples)
        {
            // Only a turn longer than the maximum under turn detection gets here (manual appends are refused first).
            DropBufferBefore(_bufferStart + _bufferLength + frame.Length - _maxBufferSamples);
            _events.OnInputBufferTrimmed();
        }

        if (_bufferLength + frame.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(Math.Max(_buffer.Length * 2, _bufferLength + frame.Length), _maxBufferSamples + FrameSamples));
        }

        frame.CopyTo(_buffer.AsSpan(_bufferLength));
        _bufferLength += frame.Length;
    }

    private void TrimBufferTo(int samples)
    {
        if (_bufferLength > samples * 2)
        {
            DropBufferBefore(_bufferStart + _bufferLength - samples);
        }
    }

    private void DropBufferBefore(long timelineSample)
    {
        int drop = (int)Math.Clamp(timelineSample - _bufferStart, 0, _bufferLength);
        if (drop == 0)
        {
            return;
        }

        _buffer.AsSpan(drop, _bufferLength - drop).CopyTo(_buffer);
        _bufferLength -= drop;
        _bufferStart += drop;
    }

    private static void EnsureCapacity(ref short[] array, int length)
    {
        if (array.Length < length)
        {
            array = new short[Math.Max(length, array.Length * 2)];
        }
    }

    public void Dispose()
    {
        _recognizer?.Dispose();
        _analyzer?.Dispose();
        _vad.Dispose();
    }
}

/// <summary>What the input pipeline tells its session.</summary>
internal interface IInputAudioEvents
{
    TranscriptionRequest TranscriptionRequest { get; }

    void OnSpeechStarted(string itemId, long audioStartMs);

    /// <summary>Every 16 kHz frame with its speech probability, before segmentation (barge-in judging).</summary>
    void OnInputFrame(ReadOnlySpan<short> frame, float probability, long frameEndMs);

    void OnSpeechStopped(string itemId, long audioEndMs);

    void OnIdleTimeout(long audioStartMs, long audioEndMs);

    /// <summary>A turn outgrew the maximum buffer and its oldest audio was dropped (called per frame while it lasts).</summary>
    void OnInputBufferTrimmed();
}
