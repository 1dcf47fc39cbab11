namespace MediaServer.Rtc.Codecs;

/// <summary>
/// Packet loss concealment for 8 kHz speech in the manner of ITU-T G.711 Appendix I (written from its
/// description, not its reference code): the output runs 3.75 ms behind the input so that the start of a gap can
/// be smoothed; a lost stretch is filled by repeating the last pitch period (found by normalised
/// cross-correlation over 5-15 ms), widened to two and three periods after 10 and 20 ms so that the repetition does
/// not buzz, attenuated by 20 % per 10 ms after the first 10 ms and silent after 60 ms; the first good frame after
/// a gap is overlap-added with the continued synthesis over 4 ms plus 4 ms per further 10 ms lost (at most 10 ms).
/// </summary>
internal sealed class G711Concealer
{
    private const int HistoryLength = 390; // 48.75 ms
    private const int Delay = 30;          // 3.75 ms = PitchMax / 4, the longest start-of-gap overlap
    private const int PitchMin = 40;       // 5 ms (200 Hz)
    private const int PitchMax = 120;      // 15 ms (66 Hz)
    private const int CorrelationLength = 160;
    private const int TenMs = 80;
    private const int MaxChunk = 960;

    private readonly short[] _work = new short[HistoryLength + MaxChunk];
    private readonly float[] _pitchBuffer = new float[HistoryLength];
    private int _pitch;
    private int _overlap;
    private int _periods;
    private int _phase;
    private int _oldCycle;
    private int _oldPhase;
    private int _fade;
    private int _erased;

    /// <summary>Samples concealed since the last good frame.</summary>
    public int ErasedSamples => _erased;

    /// <summary>Pitch period (samples) chosen for the current or last gap.</summary>
    public int LastPitch => _pitch;

    /// <summary>Feeds a decoded frame through; <paramref name="frame"/> is replaced by the (delayed) output.</summary>
    public void OnGoodFrame(Span<short> frame)
    {
        while (!frame.IsEmpty)
        {
            int n = Math.Min(frame.Length, MaxChunk);
            var chunk = frame[..n];
            var x = _work.AsSpan(HistoryLength, n);
            chunk.CopyTo(x);
            if (_erased > 0)
            {
                int tens = Math.Max(1, _erased / TenMs);
                int overlapLength = Math.Min(n, Math.Min(TenMs, 32 + (32 * (tens - 1))));
                for (int i = 0; i < overlapLength; i++)
                {
                    float w = (i + 1) / (float)(overlapLength + 1);
                    float s = NextSynthetic();
                    x[i] = Saturate((w * x[i]) + ((1 - w) * s));
                }

                _erased = 0;
            }

            Emit(chunk);
            frame = frame[n..];
        }
    }

    /// <summary>Fills <paramref name="output"/> with concealment for lost samples.</summary>
    public void Conceal(Span<short> output)
    {
        while (!output.IsEmpty)
        {
            int n = Math.Min(output.Length, MaxChunk);
            if (_erased == 0)
            {
                StartGap();
            }

            var x = _work.AsSpan(HistoryLength, n);
            for (int i = 0; i < n; i++)
            {
                x[i] = Saturate(NextSynthetic());
            }

            Emit(output[..n]);
            output = output[n..];
        }
    }

    public void Reset()
    {
        Array.Clear(_work);
        _erased = 0;
        _pitch = 0;
    }

    private void Emit(Span<short> output)
    {
        int n = output.Length;
        _work.AsSpan(HistoryLength - Delay, n).CopyTo(output);
        _work.AsSpan(n, HistoryLength).CopyTo(_work);
    }

    private void StartGap()
    {
        for (int i = 0; i < HistoryLength; i++)
        {
            _pitchBuffer[i] = _work[i];
        }

        _pitch = FindPitch();
        _overlap = _pitch / 4;

        // Blend the end of the history towards the samples one period earlier, so that wrapping from the last
        // sample back to the start of the repeated period is continuous. These samples are still in the delay
        // line, so the blended version is what gets played.
        int end = HistoryLength;
        for (int i = 0; i < _overlap; i++)
        {
            float w = (i + 1) / (float)(_overlap + 1);
            float blended = ((1 - w) * _pitchBuffer[end - _overlap + i]) + (w * _pitchBuffer[end - _pitch - _overlap + i]);
            _pitchBuffer[end - _overlap + i] = blended;
            _work[end - _overlap + i] = Saturate(blended);
        }

        _periods = 1;
        _phase = 0;
        _fade = 0;
    }

    private float NextSynthetic()
    {
        if ((_erased == TenMs && _periods == 1) || (_erased == 2 * TenMs && _periods == 2))
        {
            _oldCycle = _periods * _pitch;
            _oldPhase = _phase;
            _periods++;
            _fade = _overlap;
        }

        int cycle = _periods * _pitch;
        float value = _pitchBuffer[HistoryLength - cycle + _phase];
        _phase = (_phase + 1) % cycle;
        if (_fade > 0)
        {
            float old = _pitchBuffer[HistoryLength - _oldCycle + _oldPhase];
            _oldPhase = (_oldPhase + 1) % _oldCycle;
            float w = _fade / (float)(_overlap + 1);
            value = (w * old) + ((1 - w) * value);
            _fade--;
        }

        float gain = _erased < TenMs ? 1f : Math.Max(0f, 1f - (0.2f * (_erased - TenMs) / TenMs));
        _erased++;
        return value * gain;
    }

    private int FindPitch()
    {
        // Normalised cross-correlation of the newest 20 ms with the stretch T samples earlier.
        var b = _pitchBuffer;
        int targetStart = HistoryLength - CorrelationLength;
        int best = PitchMin;
        double bestScore = double.NegativeInfinity;
        for (int t = PitchMin; t <= PitchMax; t++)
        {
            double cross = 0;
            double energy = 1e-3;
            int s = targetStart - t;
            for (int i = 0; i < CorrelationLength; i++)
            {
                cross += b[targetStart + i] * b[s + i];
                energy += b[s + i] * b[s + i];
            }

            double score = cross / Math.Sqrt(energy);
            if (score > bestScore)
            {
                bestScore = score;
                best = t;
            }
        }

        return best;
    }

    private static short Saturate(float v) => (short)Math.Clamp(MathF.Round(v), short.MinValue, short.MaxValue);
}
