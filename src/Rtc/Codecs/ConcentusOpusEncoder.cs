using Concentus.Enums;
using ConcentusEncoder = Concentus.Structs.OpusEncoder;

namespace MediaServer.Rtc.Codecs;

/// <summary>Opus encoding through Concentus's managed code (never its native shortcut, so the two can be compared).</summary>
public sealed class ConcentusOpusEncoder : IAudioEncoder
{
    private readonly ConcentusEncoder _encoder;

    public ConcentusOpusEncoder(OpusEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        // Deliberately the managed constructor: the factory would silently switch to native libopus, and we want
        // Concentus itself here so that the two implementations stay selectable and comparable.
#pragma warning disable CS0618
        _encoder = new ConcentusEncoder(options.SampleRate, options.Channels, options.Voip ? OpusApplication.OPUS_APPLICATION_VOIP : OpusApplication.OPUS_APPLICATION_AUDIO);
#pragma warning restore CS0618
        _encoder.Bitrate = options.Bitrate;
        _encoder.Complexity = options.Complexity;
        _encoder.UseInbandFEC = options.InbandFec;
        _encoder.PacketLossPercent = options.PacketLossPercent;
        _encoder.UseDTX = options.Dtx;
        _encoder.SignalType = options.Voip ? OpusSignal.OPUS_SIGNAL_VOICE : OpusSignal.OPUS_SIGNAL_AUTO;
    }

    public OpusEncoderOptions Options { get; }

    public string Name => "opus/concentus";

    public int SampleRate => Options.SampleRate;

    public int Channels => Options.Channels;

    public int RtpClockRate => 48000;

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        int frameSize = pcm.Length / Options.Channels;
        return _encoder.Encode(pcm, frameSize, payload, payload.Length);
    }

    public void Reset() => _encoder.ResetState();

    public void Dispose() => _encoder.Dispose();
}
