using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaServer.Pipeline.Audio;
using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Benchmarks.Rtc;

/// <summary>
/// The per-call media core cost of one 20 ms frame, without transport encryption:
/// <list type="bullet">
/// <item><see cref="Receive"/>: RTP parse + jitter buffer push + pull (decode) + resample to the pipeline's 16 kHz
/// with <c>MediaServer.Pipeline.Audio.Resampler</c>;</item>
/// <item><see cref="Send"/>: encode one frame + write the RTP header and payload.</item>
/// </list>
/// 20 ms divided by (receive + send) is the number of calls one core carries.
/// </summary>
[MemoryDiagnoser]
public class MediaCoreBenchmarks
{
    private const int Frames = 250; // 5 s of pre-encoded packets, replayed with fresh sequence numbers

    private readonly byte[][] _packets = new byte[Frames][];
    private readonly byte[] _wire = new byte[1500];
    private readonly byte[] _sendBuffer = new byte[1500];
    private short[] _pcm = [];
    private short[] _frame = [];
    private short[] _pipeline = [];
    private IAudioEncoder _encoder = null!;
    private JitterBuffer _jitter = null!;
    private IResampler _resampler = null!;
    private int _rate;
    private long _index;
    private long _sendIndex;

    public enum CodecKind
    {
        Pcmu,
        OpusConcentus,
        OpusNative,

        /// <summary>Opus decoded straight to 16 kHz and encoded from 16 kHz (wideband): no resampling at all.</summary>
        OpusConcentus16k,

        OpusNative16k,
    }

    [Params(CodecKind.Pcmu, CodecKind.OpusConcentus, CodecKind.OpusNative, CodecKind.OpusConcentus16k, CodecKind.OpusNative16k)]
    public CodecKind Codec { get; set; }

    /// <summary>Opus encoder complexity: 0 is the figure libopus is usually quoted at, 5 our default.</summary>
    [Params(0, 5)]
    public int Complexity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rate = Codec switch
        {
            CodecKind.Pcmu => 8000,
            CodecKind.OpusConcentus16k or CodecKind.OpusNative16k => 16000,
            _ => 48000,
        };
        int frame = _rate / 50;
        _pcm = SpeechLike(_rate, Frames * frame);
        _frame = new short[frame];
        _pipeline = new short[400];
        var opus = new OpusEncoderOptions { SampleRate = _rate == 8000 ? 48000 : _rate, Complexity = Complexity, Bitrate = 32000, InbandFec = true, PacketLossPercent = 10 };
        IAudioDecoder decoder;
        switch (Codec)
        {
            case CodecKind.Pcmu:
                _encoder = new G711Encoder(G711Law.MuLaw);
                decoder = new G711Decoder(G711Law.MuLaw);
                break;
            case CodecKind.OpusConcentus or CodecKind.OpusConcentus16k:
                _encoder = new ConcentusOpusEncoder(opus);
                decoder = new ConcentusOpusDecoder(_rate);
                break;
            default:
                _encoder = new NativeOpusEncoder(opus);
                decoder = new NativeOpusDecoder(_rate);
                break;
        }

        var payload = new byte[1500];
        for (int i = 0; i < Frames; i++)
        {
            int n = _encoder.Encode(_pcm.AsSpan(i * frame, frame), payload);
            var header = new RtpHeader { PayloadType = (byte)(Codec == CodecKind.Pcmu ? 0 : 111), Ssrc = 0x5EED };
            var packet = new RtpPacket(header, payload.AsSpan(0, n));
            _packets[i] = new byte[packet.Length];
            packet.Write(_packets[i]);
        }

        _jitter = new JitterBuffer(decoder, _encoder.RtpClockRate);
        _resampler = Resampler.Create(_rate, 16000);

        // Warm the buffer into its steady state.
        for (int i = 0; i < 500; i++)
        {
            Receive();
            Send();
        }
    }

    /// <summary>One inbound frame: parse, jitter buffer, decode, resample to 16 kHz.</summary>
    [Benchmark]
    public int Receive()
    {
        long i = _index++;
        byte[] source = _packets[i % Frames];
        source.CopyTo(_wire, 0);
        BinaryPrimitives.WriteUInt16BigEndian(_wire.AsSpan(2), (ushort)i);
        BinaryPrimitives.WriteUInt32BigEndian(_wire.AsSpan(4), (uint)(i * _encoder.RtpClockRate / 50));
        var arrival = TimeSpan.FromMilliseconds(i * 20);
        if (RtpPacket.TryRead(_wire.AsSpan(0, source.Length), out var packet))
        {
            _jitter.Push(packet, arrival);
        }

        _jitter.Pull(_frame, arrival + TimeSpan.FromMilliseconds(5));
        return _resampler.Process(_frame, _pipeline);
    }

    /// <summary>One outbound frame: encode and packetise.</summary>
    [Benchmark]
    public int Send()
    {
        long i = _sendIndex++;
        int frame = _frame.Length;
        var pcm = _pcm.AsSpan((int)(i % Frames) * frame, frame);
        var header = new RtpHeader { PayloadType = 111, SequenceNumber = (ushort)i, Timestamp = (uint)(i * _encoder.RtpClockRate / 50), Ssrc = 0x5EED };
        int headerLength = RtpPacket.WriteHeader(header, _sendBuffer);
        int n = _encoder.Encode(pcm, _sendBuffer.AsSpan(headerLength));
        return headerLength + n;
    }

    /// <summary>A voiced, pitch-gliding, syllable-modulated signal with some noise: codec work similar to speech.</summary>
    private static short[] SpeechLike(int rate, int length)
    {
        var random = new Random(7);
        var s = new short[length];
        double phase = 0;
        for (int i = 0; i < length; i++)
        {
            double t = i / (double)rate;
            double pitch = 120 + (40 * Math.Sin(2 * Math.PI * 0.7 * t));
            phase += 2 * Math.PI * pitch / rate;
            double envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 3 * t));
            double voiced = Math.Sin(phase) + (0.5 * Math.Sin(2 * phase)) + (0.3 * Math.Sin(3 * phase)) + (0.2 * Math.Sin(5 * phase));
            s[i] = (short)(envelope * ((4000 * voiced) + (random.NextDouble() * 600) - 300));
        }

        return s;
    }
}
