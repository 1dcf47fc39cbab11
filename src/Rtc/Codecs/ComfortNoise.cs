namespace MediaServer.Rtc.Codecs;

/// <summary>
/// Comfort noise from RFC 3389 SID payloads: the first byte is the noise level in -dBov (0..127, section 3.1), the
/// optional following bytes are quantised reflection coefficients of an all-pole spectral model (section 3.2).
/// The generator excites a lattice filter with white noise and scales each block to the announced level, so the
/// loudness is exact whatever the spectral shape. Deterministic (seeded xorshift), no allocation per block.
/// </summary>
public sealed class ComfortNoise
{
    /// <summary>The static payload type of CN at 8 kHz (RFC 3551 Table 4).</summary>
    public const int StaticPayloadType = 13;

    /// <summary>Highest model order we keep; higher-order coefficients are dropped as section 3 allows.</summary>
    public const int MaxOrder = 16;

    private readonly float[] _reflection = new float[MaxOrder];
    private readonly float[] _state = new float[MaxOrder + 1];
    private float[] _block = new float[1920];
    private uint _random;
    private int _order;

    public ComfortNoise(uint seed = 0x2545F491) => _random = seed == 0 ? 1u : seed;

    /// <summary>Noise level of the last SID in -dBov (0 = full scale); 127 means silence.</summary>
    public int LevelDbov { get; private set; } = 127;

    /// <summary>Model order of the last SID.</summary>
    public int Order => _order;

    /// <summary>Takes a SID payload; false when it is empty (the previous parameters stay).</summary>
    public bool TryUpdate(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        LevelDbov = payload[0] & 0x7F;
        _order = Math.Min(MaxOrder, payload.Length - 1);
        for (int i = 0; i < _order; i++)
        {
            // Uniform quantiser over (-1, 1); clamp for filter stability.
            _reflection[i] = Math.Clamp((payload[1 + i] - 127) / 128f, -0.99f, 0.99f);
        }

        return true;
    }

    /// <summary>Fills <paramref name="pcm"/> with noise at the current level and shape.</summary>
    public void Generate(Span<short> pcm)
    {
        if (LevelDbov >= 127 || pcm.IsEmpty)
        {
            pcm.Clear();
            return;
        }

        // 0 dBov is the RMS of a full-scale square wave (RFC 3389 section 3.1).
        double targetRms = 32767.0 * Math.Pow(10, -LevelDbov / 20.0);
        double energy = 0;
        if (_block.Length < pcm.Length)
        {
            _block = new float[pcm.Length]; // grows once for an unusually long block, then reused
        }

        Span<float> block = _block.AsSpan(0, pcm.Length);
        for (int n = 0; n < pcm.Length; n++)
        {
            float excitation = NextUniform();
            float f = excitation;
            for (int m = _order - 1; m >= 0; m--)
            {
                f -= _reflection[m] * _state[m];
                _state[m + 1] = (_reflection[m] * f) + _state[m];
            }

            _state[0] = f;
            block[n] = f;
            energy += f * f;
        }

        double rms = Math.Sqrt(energy / pcm.Length) + 1e-9;
        float gain = (float)(targetRms / rms);
        for (int n = 0; n < pcm.Length; n++)
        {
            pcm[n] = (short)Math.Clamp(block[n] * gain, short.MinValue, short.MaxValue);
        }
    }

    private float NextUniform()
    {
        uint x = _random;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _random = x;
        return (x / (float)uint.MaxValue) - 0.5f;
    }
}
