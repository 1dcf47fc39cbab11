using MediaServer.Rtc.Codecs;

namespace MediaServer.Fuzz;

/// <summary>
/// Arbitrary bytes as an Opus RTP payload into both decoders (Concentus, native libopus), normal and FEC decode:
/// a hostile peer must not make our decoder wrappers throw (Concentus throws on some corrupt packets; the
/// wrapper must turn that into a bad-payload result).
/// </summary>
public sealed class RtpOpusPayloadFuzzTarget : IFuzzTarget
{
    private readonly IAudioDecoder _concentus = new ConcentusOpusDecoder(48000, 2);
    private readonly IAudioDecoder _concentus16k = new ConcentusOpusDecoder(16000, 1);
    private readonly IAudioDecoder? _native = NativeOpus.IsAvailable ? new NativeOpusDecoder(48000, 1) : null;
    private readonly short[] _pcm = new short[5760 * 2];

    public string Name => "rtp-opus";

    public IReadOnlyList<byte[]> Seeds { get; } = BuildSeeds();

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        _concentus.Decode(input, _pcm);
        _concentus16k.DecodeFec(input, _pcm, 320);
        _native?.Decode(input, _pcm);
        _native?.DecodeFec(input, _pcm, 960);
        if (input.Length > 0 && input[0] == 0xFF)
        {
            _concentus.Reset();
            _native?.Reset();
        }
    }

    private static byte[][] BuildSeeds()
    {
        var seeds = new List<byte[]>();
        using var encoder = new ConcentusOpusEncoder(new OpusEncoderOptions { InbandFec = true, PacketLossPercent = 20 });
        using var stereo = new ConcentusOpusEncoder(new OpusEncoderOptions { Channels = 2, Voip = false, Bitrate = 64000 });
        var pcm = new short[1920];
        var packet = new byte[1500];
        for (int f = 0; f < 6; f++)
        {
            for (int i = 0; i < pcm.Length; i++)
            {
                pcm[i] = (short)(6000 * Math.Sin(2 * Math.PI * (150 + (f * 40)) * ((f * 960) + (i / 2)) / 48000.0));
            }

            int n = encoder.Encode(pcm.AsSpan(0, 960), packet);
            seeds.Add(packet[..n]);
            n = stereo.Encode(pcm, packet);
            seeds.Add(packet[..n]);
        }

        return [.. seeds];
    }
}
