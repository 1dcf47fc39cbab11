using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Tests.NetworkSimulation;

namespace MediaServer.Rtc.Tests.Codecs;

public sealed class OpusCodecTests
{
    private const int Frame = 960;

    public static TheoryData<OpusImplementation, OpusImplementation> Pairs => new()
    {
        { OpusImplementation.Concentus, OpusImplementation.Concentus },
        { OpusImplementation.Native, OpusImplementation.Native },
        { OpusImplementation.Concentus, OpusImplementation.Native },
        { OpusImplementation.Native, OpusImplementation.Concentus },
    };

    [Fact]
    public void Native_libopus_is_installed_here()
    {
        // Debian libopus0 is part of this machine's setup (scripts/setup.sh); the native path must work.
        Assert.True(NativeOpus.IsAvailable);
        Assert.StartsWith("libopus", NativeOpus.Version);
        Assert.Equal(OpusImplementation.Native, AudioCodecFactory.Resolve(OpusImplementation.Auto));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Speech_survives_encode_and_decode(OpusImplementation encoderKind, OpusImplementation decoderKind)
    {
        short[] speech = TestAudio.Speech48k;
        using var encoder = AudioCodecFactory.CreateOpusEncoder(new OpusEncoderOptions(), encoderKind);
        using var decoder = AudioCodecFactory.CreateOpusDecoder(48000, 1, decoderKind);
        short[] output = RoundTrip(speech, encoder, decoder, lose: _ => false);
        int lag = AudioQuality.FindLag(speech, output, 2000, 8);
        double corr = AudioQuality.Correlation(speech.AsSpan(0, speech.Length - 2000), output.AsSpan(lag, speech.Length - 2000));

        // Threshold: Opus at 32 kb/s is near transparent for speech; waveform correlation above 0.9 is expected.
        Assert.True(corr > 0.9, $"{encoder.Name} -> {decoder.Name}: correlation {corr:F3} at lag {lag}");
        Assert.InRange(lag, 200, 700); // encoder lookahead plus decoder delay, about 6.5 ms
    }

    [Theory]
    [InlineData(OpusImplementation.Concentus)]
    [InlineData(OpusImplementation.Native)]
    public void Fec_rebuilds_lost_frames_better_than_plc(OpusImplementation kind)
    {
        short[] speech = TestAudio.Speech48k;
        var options = new OpusEncoderOptions { InbandFec = true, PacketLossPercent = 20, Bitrate = 32000 };
        using var encoder = AudioCodecFactory.CreateOpusEncoder(options, kind);
        var packets = new List<byte[]>();
        var buffer = new byte[1500];
        for (int i = 0; i + Frame <= speech.Length; i += Frame)
        {
            int n = encoder.Encode(speech.AsSpan(i, Frame), buffer);
            packets.Add(buffer[..n]);
        }

        Assert.Contains(packets, p => OpusPacket.HasLbrr(p));
        static bool Lost(int i) => i % 7 == 3;
        short[] withFec = DecodeWithLoss(packets, AudioCodecFactory.CreateOpusDecoder(48000, 1, kind), Lost, useFec: true);
        short[] withPlc = DecodeWithLoss(packets, AudioCodecFactory.CreateOpusDecoder(48000, 1, kind), Lost, useFec: false);
        short[] clean = DecodeWithLoss(packets, AudioCodecFactory.CreateOpusDecoder(48000, 1, kind), _ => false, useFec: false);
        double fec = AudioQuality.Correlation(clean, withFec);
        double plc = AudioQuality.Correlation(clean, withPlc);
        Assert.True(fec > plc, $"FEC {fec:F3} should beat PLC {plc:F3}");
        Assert.True(fec > 0.8, $"FEC correlation {fec:F3}");
    }

    [Theory]
    [InlineData(OpusImplementation.Concentus)]
    [InlineData(OpusImplementation.Native)]
    public void Dtx_sends_tiny_packets_in_silence(OpusImplementation kind)
    {
        using var encoder = AudioCodecFactory.CreateOpusEncoder(new OpusEncoderOptions { Dtx = true }, kind);
        var silence = new short[Frame];
        var buffer = new byte[1500];
        int small = 0;
        for (int i = 0; i < 50; i++)
        {
            if (encoder.Encode(silence, buffer) <= 2)
            {
                small++;
            }
        }

        Assert.True(small > 30, $"{small} of 50 silent frames were DTX frames");
    }

    [Theory]
    [InlineData(OpusImplementation.Concentus)]
    [InlineData(OpusImplementation.Native)]
    public void Stereo_packets_decode_to_stereo_and_mono(OpusImplementation kind)
    {
        using var encoder = AudioCodecFactory.CreateOpusEncoder(new OpusEncoderOptions { Channels = 2, Voip = false, Bitrate = 64000 }, kind);
        short[] tone = TestAudio.Sine(48000, 440, 0.5);
        var stereo = new short[tone.Length * 2];
        for (int i = 0; i < tone.Length; i++)
        {
            stereo[2 * i] = tone[i];
            stereo[(2 * i) + 1] = (short)(tone[i] / 2);
        }

        var buffer = new byte[1500];
        using var stereoDecoder = AudioCodecFactory.CreateOpusDecoder(48000, 2, kind);
        using var monoDecoder = AudioCodecFactory.CreateOpusDecoder(48000, 1, kind);
        var outStereo = new short[Frame * 2];
        var outMono = new short[Frame];
        double leftEnergy = 0, rightEnergy = 0;
        for (int f = 0; f < 20; f++)
        {
            int n = encoder.Encode(stereo.AsSpan(f * Frame * 2, Frame * 2), buffer);
            Assert.True(OpusPacket.IsStereo(buffer.AsSpan(0, n)));
            Assert.Equal(Frame, stereoDecoder.Decode(buffer.AsSpan(0, n), outStereo));
            Assert.Equal(Frame, monoDecoder.Decode(buffer.AsSpan(0, n), outMono));
            if (f > 5)
            {
                for (int i = 0; i < Frame; i++)
                {
                    leftEnergy += (double)outStereo[2 * i] * outStereo[2 * i];
                    rightEnergy += (double)outStereo[(2 * i) + 1] * outStereo[(2 * i) + 1];
                }
            }
        }

        double ratioDb = 10 * Math.Log10(leftEnergy / rightEnergy);
        Assert.InRange(ratioDb, 4.0, 8.0); // right channel is 6 dB down
    }

    [Theory]
    [InlineData(OpusImplementation.Concentus)]
    [InlineData(OpusImplementation.Native)]
    public void Garbage_payload_is_reported_not_thrown(OpusImplementation kind)
    {
        using var decoder = AudioCodecFactory.CreateOpusDecoder(48000, 1, kind);
        var pcm = new short[5760];
        var random = new Random(5);
        var payload = new byte[200];
        for (int i = 0; i < 2000; i++)
        {
            random.NextBytes(payload);
            int n = decoder.Decode(payload.AsSpan(0, random.Next(1, 200)), pcm);
            Assert.True(n <= 5760);
        }

        Assert.Equal(960, decoder.Conceal(pcm, 960));
    }

    [Fact]
    public void Toc_reader_knows_durations_and_frame_counts()
    {
        Assert.Equal(960, OpusPacket.GetSamples48k([0x78, 0x00])); // config 15: hybrid FB 20 ms
        Assert.Equal(1920, OpusPacket.GetSamples48k([0x79, 0x00])); // code 1: two frames
        Assert.Equal(480 * 3, OpusPacket.GetSamples48k([0x03, 0x03])); // SILK NB 10 ms x 3
        Assert.Equal(-1, OpusPacket.GetSamples48k([]));
        Assert.Equal(-1, OpusPacket.GetSamples48k([0x03]));
        Assert.False(OpusPacket.HasLbrr([0xF8, 0xFF])); // CELT: no SILK layer
        Assert.True(OpusPacket.HasLbrr([0x08, 0b0100_0000])); // SILK NB 20 ms mono: VAD=0, LBRR=1
        Assert.False(OpusPacket.HasLbrr([0x08, 0b1000_0000]));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpusEncoderOptions { SampleRate = 44100 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpusEncoderOptions { Complexity = 11 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpusEncoderOptions { Channels = 3 }.Validate());
    }

    [Fact]
    public void Factory_maps_sdp_names()
    {
        Assert.IsType<G711Decoder>(AudioCodecFactory.CreateDecoder("PCMU"));
        Assert.Equal(G711Law.ALaw, Assert.IsType<G711Encoder>(AudioCodecFactory.CreateEncoder("pcma")).Law);
        Assert.IsType<ConcentusOpusDecoder>(AudioCodecFactory.CreateDecoder("opus", 1, OpusImplementation.Concentus));
        Assert.Null(AudioCodecFactory.CreateDecoder("G722"));
    }

    private static short[] RoundTrip(short[] input, IAudioEncoder encoder, IAudioDecoder decoder, Func<int, bool> lose)
    {
        var output = new short[input.Length];
        var packet = new byte[1500];
        var pcm = new short[Frame];
        for (int i = 0, f = 0; i + Frame <= input.Length; i += Frame, f++)
        {
            int n = encoder.Encode(input.AsSpan(i, Frame), packet);
            int got = lose(f) ? decoder.Conceal(pcm, Frame) : decoder.Decode(packet.AsSpan(0, n), pcm);
            Assert.Equal(Frame, got);
            pcm.CopyTo(output, i);
        }

        return output;
    }

    private static short[] DecodeWithLoss(List<byte[]> packets, IAudioDecoder decoder, Func<int, bool> lost, bool useFec)
    {
        using (decoder)
        {
            var output = new short[packets.Count * Frame];
            for (int i = 0; i < packets.Count; i++)
            {
                var pcm = output.AsSpan(i * Frame, Frame);
                if (!lost(i))
                {
                    Assert.Equal(Frame, decoder.Decode(packets[i], pcm));
                }
                else if (useFec && i + 1 < packets.Count)
                {
                    Assert.Equal(Frame, decoder.DecodeFec(packets[i + 1], pcm, Frame));
                }
                else
                {
                    Assert.Equal(Frame, decoder.Conceal(pcm, Frame));
                }
            }

            return output;
        }
    }
}
