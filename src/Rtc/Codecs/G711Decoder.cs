namespace MediaServer.Rtc.Codecs;

/// <summary>
/// G.711 decoder at 8 kHz mono with packet loss concealment in the manner of ITU-T G.711 Appendix I (see
/// <see cref="G711Concealer"/>). G.711 has no FEC, so <see cref="DecodeFec"/> conceals.
/// </summary>
public sealed class G711Decoder : IAudioDecoder
{
    private readonly G711Concealer _concealer = new();

    public G711Decoder(G711Law law) => Law = law;

    public G711Law Law { get; }

    public string Name => Law == G711Law.MuLaw ? "pcmu" : "pcma";

    public int SampleRate => 8000;

    public int Channels => 1;

    public bool SupportsFec => false;

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (pcm.Length < payload.Length)
        {
            return -1;
        }

        var output = pcm[..payload.Length];
        if (Law == G711Law.MuLaw)
        {
            G711.MuLawDecode(payload, output);
        }
        else
        {
            G711.ALawDecode(payload, output);
        }

        _concealer.OnGoodFrame(output);
        return payload.Length;
    }

    public int Conceal(Span<short> pcm, int samples)
    {
        _concealer.Conceal(pcm[..samples]);
        return samples;
    }

    public int DecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samples) => Conceal(pcm, samples);

    public void Reset() => _concealer.Reset();

    /// <summary>The pitch period the concealer used for the current or last gap (for tests and diagnostics).</summary>
    internal int GetConcealerPitch() => _concealer.LastPitch;

    public void Dispose()
    {
    }
}
