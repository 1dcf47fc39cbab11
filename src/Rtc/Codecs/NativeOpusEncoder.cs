namespace MediaServer.Rtc.Codecs;

/// <summary>Opus encoding through the system libopus (<see cref="NativeOpus"/>).</summary>
public sealed unsafe class NativeOpusEncoder : IAudioEncoder
{
    private IntPtr _encoder;

    public NativeOpusEncoder(OpusEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NativeOpus.ThrowIfUnavailable();
        Options = options;
        int error;
        _encoder = NativeOpus.opus_encoder_create(options.SampleRate, options.Channels, options.Voip ? NativeOpus.ApplicationVoip : NativeOpus.ApplicationAudio, &error);
        if (error != NativeOpus.Ok || _encoder == IntPtr.Zero)
        {
            throw new InvalidOperationException($"opus_encoder_create failed ({error}).");
        }

        Ctl(NativeOpus.SetBitrateRequest, options.Bitrate);
        Ctl(NativeOpus.SetComplexityRequest, options.Complexity);
        Ctl(NativeOpus.SetInbandFecRequest, options.InbandFec ? 1 : 0);
        Ctl(NativeOpus.SetPacketLossPercRequest, options.PacketLossPercent);
        Ctl(NativeOpus.SetDtxRequest, options.Dtx ? 1 : 0);
        if (options.Voip)
        {
            Ctl(NativeOpus.SetSignalRequest, NativeOpus.SignalVoice);
        }
    }

    public OpusEncoderOptions Options { get; }

    public string Name => "opus/native";

    public int SampleRate => Options.SampleRate;

    public int Channels => Options.Channels;

    public int RtpClockRate => 48000;

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_encoder == IntPtr.Zero, this);
        fixed (short* p = pcm)
        fixed (byte* d = payload)
        {
            int n = NativeOpus.opus_encode(_encoder, p, pcm.Length / Options.Channels, d, payload.Length);
            if (n < 0)
            {
                throw new InvalidOperationException($"opus_encode failed ({n}).");
            }

            return n;
        }
    }

    public void Reset()
    {
        if (_encoder != IntPtr.Zero)
        {
            NativeOpus.opus_encoder_ctl_noarg(_encoder, NativeOpus.ResetStateRequest);
        }
    }

    public void Dispose()
    {
        if (_encoder != IntPtr.Zero)
        {
            NativeOpus.opus_encoder_destroy(_encoder);
            _encoder = IntPtr.Zero;
        }
    }

    private void Ctl(int request, int value)
    {
        int rc = NativeOpus.opus_encoder_ctl(_encoder, request, value);
        if (rc != NativeOpus.Ok)
        {
            throw new InvalidOperationException($"opus_encoder_ctl({request}) failed ({rc}).");
        }
    }
}
