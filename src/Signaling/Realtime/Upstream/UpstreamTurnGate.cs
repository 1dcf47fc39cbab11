using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// Our turn detection for a delegated session (turn detection owner <c>local</c>): the caller's audio at 16 kHz in
/// 20 ms frames through the same VAD and server/semantic turn detector an embedded session uses, without the
/// recogniser (the upstream transcribes). Reports where speech started and stopped on the input timeline.
/// Runs under the session's lock; allocates nothing per frame.
/// </summary>
internal sealed class UpstreamTurnGate : IDisposable
{
    private const int FrameSamples = AudioConstants.PipelineFrameSamples;
    private const int SamplesPerMs = AudioConstants.PipelineSampleRate / 1000;

    private readonly IVoiceActivityDetector _vad;
    private readonly short[] _frame = new short[FrameSamples];
    private ServerVadTurnDetector _detector;
    private IResampler? _resampler;
    private short[] _resampled = new short[2048];
    private int _frameFill;
    private long _timelineSamples;

    public UpstreamTurnGate(IVoiceActivityDetector vad, TurnDetectionConfig config)
    {
        _vad = vad;
        _detector = TurnDetectorFactory.Create(config);
    }

    public bool Speaking { get; private set; }

    public long TimelineMs => _timelineSamples / SamplesPerMs;

    public void Reconfigure(TurnDetectionConfig config)
    {
        _detector = TurnDetectorFactory.Create(config);
        Speaking = false;
    }

    /// <summary>Forgets a turn in progress (the client cleared or committed the buffer itself).</summary>
    public void Reset()
    {
        Speaking = false;
        _detector.Reset(TimelineMs);
    }

    /// <summary>Scores <paramref name="pcm"/>; reports the first start and the last stop found in it (-1: none).</summary>
    public void Process(ReadOnlySpan<short> pcm, int sampleRate, out long startedMs, out long stoppedMs)
    {
        startedMs = -1;
        stoppedMs = -1;
        if (_resampler is null || _resampler.InputRate != sampleRate)
        {
            _resampler = Resampler.Create(sampleRate, AudioConstants.PipelineSampleRate);
        }

        int max = _resampler.MaxOutputSamples(pcm.Length);
        if (_resampled.Length < max)
        {
            _resampled = new short[Math.Max(max, _resampled.Length * 2)];
        }

        var converted = _resampled.AsSpan(0, _resampler.Process(pcm, _resampled));
        while (!converted.IsEmpty)
        {
            int take = Math.Min(FrameSamples - _frameFill, converted.Length);
            converted[..take].CopyTo(_frame.AsSpan(_frameFill));
            _frameFill += take;
            converted = converted[take..];
            if (_frameFill < FrameSamples)
            {
                break;
            }

            _frameFill = 0;
            _timelineSamples += FrameSamples;
            var turn = _detector.Process(_vad.Process(_frame), TimelineMs);
            if (turn.Kind == TurnEventKind.SpeechStarted && !Speaking)
            {
                Speaking = true;
                if (startedMs < 0)
                {
                    startedMs = turn.AudioMs;
                }
            }
            else if (turn.Kind == TurnEventKind.SpeechStopped && Speaking)
            {
                Speaking = false;
                stoppedMs = turn.AudioMs;
            }
        }
    }

    public void Dispose() => _vad.Dispose();
}
