using MediaServer.Pipeline.Audio;

namespace MediaServer.Pipeline.Interruptions;

/// <summary>
/// One input stream's barge-in judgement: the outgoing reference (what the agent sent, on the input timeline), the
/// echo gate, the per-frame acoustics and the arbiter. The session feeds every 16 kHz input frame with its VAD
/// probability and every piece of agent audio it sends; while the agent is audible, a speech onset is judged here
/// instead of cancelling the response at once. Work is done only while the agent is audible (plus the echo path's
/// reach) or a sound is being judged, so a silent agent costs one comparison per frame.
/// </summary>
public sealed class BargeInDetector
{
    private const int SamplesPerMs = AudioConstants.PipelineSampleRate / 1000;

    private readonly EchoReference _reference = new();
    private readonly EchoGate _gate;
    private readonly FrameAcoustics _acoustics = new();
    private readonly BargeInArbiter _arbiter;
    private IResampler? _toPipeline;
    private short[] _converted = new short[4096];

    public BargeInDetector(BargeInOptions? options = null)
    {
        _arbiter = new BargeInArbiter(options);
        _gate = new EchoGate(_reference, _arbiter.Options.MaxEchoDelayMs);
    }

    public BargeInArbiter Arbiter => _arbiter;

    public EchoReference Reference => _reference;

    public EchoGate Gate => _gate;

    /// <summary>The last frame's echo estimate.</summary>
    public EchoEstimate LastEcho { get; private set; } = EchoEstimate.None;

    /// <summary>True while agent audio is scheduled at <paramref name="nowMs"/> or its echo may still come back.</summary>
    public bool AgentAudible(long nowMs) =>
        _reference.EndSample + ((long)_arbiter.Options.MaxEchoDelayMs * SamplesPerMs) > nowMs * SamplesPerMs
        && _reference.EndSample > _reference.StartSample;

    /// <summary>True while agent audio is scheduled at <paramref name="nowMs"/> (not counting the echo tail).</summary>
    public bool AgentPlaying(long nowMs) => _reference.EndSample > nowMs * SamplesPerMs;

    /// <summary>
    /// Records agent audio at <paramref name="sampleRate"/> sent at input time <paramref name="nowMs"/>: it plays after
    /// what is queued. Returns where it starts on the input timeline, in ms.
    /// </summary>
    public long WriteOutgoing(ReadOnlySpan<short> pcm, int sampleRate, long nowMs)
    {
        if (_toPipeline is null || _toPipeline.InputRate != sampleRate)
        {
            _toPipeline = Resampler.Create(sampleRate, AudioConstants.PipelineSampleRate);
        }

        int max = _toPipeline.MaxOutputSamples(pcm.Length);
        if (_converted.Length < max)
        {
            _converted = new short[Math.Max(max, _converted.Length * 2)];
        }

        int n = _toPipeline.Process(pcm, _converted);
        return _reference.Append(_converted.AsSpan(0, n), nowMs * SamplesPerMs) / SamplesPerMs;
    }

    /// <summary>The agent's queued audio was dropped at <paramref name="nowMs"/> (barge-in, output cleared).</summary>
    public void FlushOutgoing(long nowMs) => _reference.Flush(nowMs * SamplesPerMs);

    /// <summary>
    /// Feeds one 16 kHz input frame ending at <paramref name="frameEndMs"/>. Returns
    /// <see cref="InterruptionKind.Interruption"/> when this frame decided a pending sound is an interruption.
    /// </summary>
    public InterruptionKind ProcessFrame(ReadOnlySpan<short> frame, float speechProbability, long frameEndMs)
    {
        bool active = _arbiter.Pending || AgentAudible(frameEndMs);
        EchoEstimate echo = EchoEstimate.None;
        float level = -96;
        bool voiced = false;
        if (active)
        {
            echo = _gate.Process(frame, frameEndMs * SamplesPerMs);
            _acoustics.Process(frame);
            level = _acoustics.LevelDb;
            voiced = _acoustics.Voiced;
        }

        LastEcho = echo;
        return _arbiter.Process(new BargeInFrame(frameEndMs, speechProbability, level, voiced, echo));
    }

    /// <summary>A speech onset while the agent is audible: starts judging it (the decision may come at once).</summary>
    public InterruptionKind BeginOnset(long onsetMs) => _arbiter.Begin(onsetMs);

    /// <summary>The recogniser's hypothesis for the sound being judged.</summary>
    public InterruptionKind UpdateTranscript(ReadOnlySpan<char> partial, long nowMs) => _arbiter.UpdateTranscript(partial, nowMs);

    /// <summary>The sound ended before it interrupted: what it was.</summary>
    public InterruptionKind EndOnset() => _arbiter.End();
}
