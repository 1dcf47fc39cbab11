namespace MediaServer.Pipeline.Profile;

/// <summary>
/// One turn of <see cref="AcousticVoiceProfiler"/>. <see cref="Write"/> cuts the audio into 20 ms frames and
/// measures each (level, high-band ratio, and YIN F0 over the last 40 ms when the frame is above the silence
/// floor) into pooled arrays; nothing is allocated per frame. The turn-level statistics are computed on demand.
/// </summary>
internal sealed class AcousticVoiceProfileAnalyzer : IVoiceProfileAnalyzer
{
    private const int SampleRate = 16_000;
    private const int FrameLength = 320; // 20 ms
    private const int WindowLength = 2 * FrameLength; // 40 ms: two periods of the lowest F0 searched

    /// <summary>Frames quieter than this are silence whatever the turn's loudest level (about 16-bit dither).</summary>
    private const float SilenceFloorDb = -55f;

    private readonly VoiceProfileBaseline _baseline;
    private readonly FrameFeatures _frames = new();
    private readonly float[] _window = new float[WindowLength];
    private readonly YinPitchEstimator _yin = new(SampleRate, WindowLength);
    private int _fill;
    private int _framesSeen;
    private VoiceProfile? _completed;

    public AcousticVoiceProfileAnalyzer(VoiceProfileBaseline baseline) => _baseline = baseline;

    /// <summary>Frames received, stored or not.</summary>
    public int FramesSeen => _framesSeen;

    public void Write(ReadOnlySpan<short> pcm16k)
    {
        if (_completed is not null || _frames.Disposed) return;
        while (!pcm16k.IsEmpty)
        {
            var take = Math.Min(FrameLength - _fill, pcm16k.Length);
            var target = _window.AsSpan(FrameLength + _fill, take);
            for (var i = 0; i < take; i++) target[i] = pcm16k[i] * (1f / 32768f);
            _fill += take;
            pcm16k = pcm16k[take..];
            if (_fill == FrameLength)
            {
                AnalyseFrame();
                _window.AsSpan(FrameLength, FrameLength).CopyTo(_window);
                _fill = 0;
            }
        }
    }

    public VoiceProfile Snapshot(string transcriptSoFar)
    {
        if (_completed is not null) return _completed;
        return VoiceProfileRules.Label(Measure(transcriptSoFar), _baseline, transcriptSoFar);
    }

    public VoiceProfile Complete(string transcript)
    {
        if (_completed is not null) return _completed;
        var features = Measure(transcript);
        _completed = VoiceProfileRules.Label(features, _baseline, transcript);
        _baseline.Add(features.MedianF0Hz);
        _frames.Dispose();
        return _completed;
    }

    public void Dispose() => _frames.Dispose();

    private void AnalyseFrame()
    {
        _framesSeen++;
        var index = _frames.Count;
        if (index >= FrameFeatures.Capacity) return;

        ReadOnlySpan<float> frame = _window.AsSpan(FrameLength, FrameLength);
        double energy = 0, diffEnergy = 0;
        var previous = _window[FrameLength - 1];
        for (var i = 0; i < frame.Length; i++)
        {
            var s = frame[i];
            energy += s * s;
            var d = s - previous;
            diffEnergy += d * d;
            previous = s;
        }

        var level = (float)(10 * Math.Log10(energy / FrameLength + 1e-12));
        _frames.LevelDb[index] = level;
        _frames.HighBand[index] = energy > 0 ? (float)(diffEnergy / energy) : 0f;
        // Skip the O(lag x window) pitch search on silence: it is the bulk of the per-frame cost.
        _frames.F0Hz[index] = level > SilenceFloorDb && _framesSeen >= 2 ? (float)_yin.Estimate(_window, out _) : 0f;
        _frames.Count = index + 1;
    }

    private VoiceFeatures Measure(string transcript)
    {
        var stats = TurnStatistics.Compute(_frames, SilenceFloorDb, FrameLength / (double)SampleRate);
        var transcriptSyllables = SyllableCounter.Count(transcript);
        var transcriptRate = stats.SpeechSeconds > 0.2 ? transcriptSyllables / stats.SpeechSeconds : 0;
        var rate = VoiceProfileRules.CombineRates(stats.NucleiPerSecond, transcriptRate, transcriptSyllables);

        var baselineHz = _baseline.F0Hz;
        var reference = baselineHz ?? VoiceProfileRules.PopulationReferenceHz;
        var relative = stats.MedianF0Hz > 0 ? PitchMath.HzToSemitones(stats.MedianF0Hz) - PitchMath.HzToSemitones(reference) : 0;
        return new VoiceFeatures(
            stats.SpeechSeconds,
            stats.MedianF0Hz,
            relative,
            baselineHz is not null,
            stats.LevelDbfs,
            stats.LevelStdDb,
            stats.VoicedRatio,
            stats.HighBandRatio,
            stats.NucleiPerSecond,
            transcriptRate,
            rate);
    }
}
