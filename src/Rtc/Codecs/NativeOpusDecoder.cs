namespace MediaServer.Rtc.Codecs;

/// <summary>Opus decoding, PLC and FEC through the system libopus (<see cref="NativeOpus"/>).</summary>
public sealed unsafe class NativeOpusDecoder : IAudioDecoder
{
    private IntPtr _decoder;

    public NativeOpusDecoder(int sampleRate = 48000, int channels = 1)
    {
        NativeOpus.ThrowIfUnavailable();
        SampleRate = sampleRate;
        Channels = channels;
        int error;
        _decoder = NativeOpus.opus_decoder_create(sampleRate, channels, &error);
        if (error != NativeOpus.Ok || _decoder == IntPtr.Zero)
        {
            throw new InvalidOperationException($"opus_decoder_create failed ({error}).");
        }
    }

    public string Name => "opus/native";

    public int SampleRate { get; }

    public int Channels { get; }

    public bool SupportsFec => true;

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty)
        {
            return -1;
        }

        return Call(payload, pcm, pcm.Length / Channels, fec: false);
    }

    public int Conceal(Span<short> pcm, int samples)
    {
        int n = Call(ReadOnlySpan<byte>.Empty, pcm, samples, fec: false);
        if (n < 0)
        {
            pcm[..(samples * Channels)].Clear();
            n = samples;
        }

        return n;
    }

    public int DecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samples)
    {
        int n = nextPayload.IsEmpty ? -1 : Call(nextPayload, pcm, samples, fec: true);
        return n < 0 ? Conceal(pcm, samples) : n;
    }

    public void Reset()
    {
        if (_decoder != IntPtr.Zero)
        {
            NativeOpus.opus_decoder_ctl_noarg(_decoder, NativeOpus.ResetStateRequest);
        }
    }

    public void Dispose()
    {
        if (_decoder != IntPtr.Zero)
        {
            NativeOpus.opus_decoder_destroy(_decoder);
            _decoder = IntPtr.Zero;
        }
    }

    private int Call(ReadOnlySpan<byte> payload, Span<short> pcm, int frameSize, bool fec)
    {
        ObjectDisposedException.ThrowIf(_decoder == IntPtr.Zero, this);
        if (pcm.Length < frameSize * Channels)
        {
            return -1;
        }

        fixed (byte* d = payload)
        fixed (short* p = pcm)
        {
            return NativeOpus.opus_decode(_decoder, payload.IsEmpty ? null : d, payload.Length, p, frameSize, fec ? 1 : 0);
        }
    }
}
