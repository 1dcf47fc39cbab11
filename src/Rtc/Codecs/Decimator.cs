namespace MediaServer.Rtc.Codecs;

/// <summary>
/// Integer-factor decimation (48 kHz to 24, 16, 12 or 8 kHz) with a Blackman-windowed sinc low-pass, streaming:
/// it keeps the filter history between calls and never allocates after construction. Used where a decoder can only
/// produce 48 kHz correctly (see <see cref="ConcentusOpusDecoder"/>).
/// </summary>
internal sealed class Decimator
{
    private readonly int _factor;
    private readonly int _channels;
    private readonly float[] _taps;
    private readonly float[] _history; // last (taps - 1) input frames, interleaved
    private readonly float[] _work;

    public Decimator(int factor, int channels, int maxInputFrames)
    {
        _factor = factor;
        _channels = channels;
        int length = (24 * factor) + 1; // about 0.5 ms of 48 kHz per factor step: > 70 dB stop band
        _taps = new float[length];
        double cutoff = 0.45 / factor; // of the input rate: pass band to 0.9 × the output Nyquist
        double sum = 0;
        int mid = length / 2;
        for (int i = 0; i < length; i++)
        {
            int k = i - mid;
            double sinc = k == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
            double window = 0.42 - (0.5 * Math.Cos(2 * Math.PI * i / (length - 1))) + (0.08 * Math.Cos(4 * Math.PI * i / (length - 1)));
            _taps[i] = (float)(sinc * window);
            sum += _taps[i];
        }

        for (int i = 0; i < length; i++)
        {
            _taps[i] = (float)(_taps[i] / sum);
        }

        _history = new float[(length - 1) * channels];
        _work = new float[(length - 1 + maxInputFrames) * channels];
    }

    /// <summary>Decimates <paramref name="input"/> (frames × channels, frames a multiple of the factor); returns output frames.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int frames = input.Length / _channels;
        int historyFrames = _taps.Length - 1;
        _history.CopyTo(_work, 0);
        for (int i = 0; i < input.Length; i++)
        {
            _work[_history.Length + i] = input[i];
        }

        int outFrames = frames / _factor;
        for (int o = 0; o < outFrames; o++)
        {
            // Output o is centred on input frame o × factor (delayed by half the filter).
            int start = o * _factor;
            for (int c = 0; c < _channels; c++)
            {
                float acc = 0;
                for (int t = 0; t < _taps.Length; t++)
                {
                    acc += _taps[t] * _work[((start + t) * _channels) + c];
                }

                output[(o * _channels) + c] = (short)Math.Clamp(MathF.Round(acc), short.MinValue, short.MaxValue);
            }
        }

        Array.Copy(_work, frames * _channels, _history, 0, historyFrames * _channels);
        return outFrames;
    }

    public void Reset() => Array.Clear(_history);
}
