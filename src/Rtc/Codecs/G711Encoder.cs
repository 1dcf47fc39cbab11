namespace MediaServer.Rtc.Codecs;

/// <summary>G.711 encoder at 8 kHz mono: one byte per sample (RFC 3551 section 4.5.14).</summary>
public sealed class G711Encoder(G711Law law) : IAudioEncoder
{
    public G711Law Law { get; } = law;

    public string Name => Law == G711Law.MuLaw ? "pcmu" : "pcma";

    public int SampleRate => 8000;

    public int Channels => 1;

    public int RtpClockRate => 8000;

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (Law == G711Law.MuLaw)
        {
            G711.MuLawEncode(pcm, payload);
        }
        else
        {
            G711.ALawEncode(pcm, payload);
        }

        return pcm.Length;
    }

    public void Reset()
    {
    }

    public void Dispose()
    {
    }
}
