using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Rtp;
using MediaServer.Rtc.Srtp;

namespace MediaServer.Benchmarks.WebRtc;

/// <summary>
/// One 20 ms frame of a WebRTC call's media in both directions, as <c>WebRtcPeerConnection</c> does it:
/// send = Opus encode + RTP header + SRTP protect; receive = SRTP unprotect + RTP parse + jitter buffer push +
/// pull (Opus decode). The mean is the CPU one call costs per 20 ms: 20 ms / mean = calls per core.
/// </summary>
[MemoryDiagnoser]
public class CallMediaPathBenchmarks
{
    private static readonly byte[] Key = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] Salt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");
    private readonly short[] _pcm = new short[960];
    private readonly short[] _out = new short[960];
    private readonly byte[] _packet = new byte[1500];
    private IAudioEncoder _encoder = null!;
    private IAudioDecoder _decoder = null!;
    private JitterBuffer _jitter = null!;
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private ushort _seq;
    private uint _ts;
    private long _frame;

    [Params(SrtpProfile.Aes128CmHmacSha1_80)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup(Targets = [nameof(SendPath), nameof(OneFrameBothDirections)])]
    public void Setup()
    {
        for (int i = 0; i < _pcm.Length; i++)
        {
            _pcm[i] = (short)(6000 * Math.Sin(2 * Math.PI * 220 * i / 48000.0));
        }

        _encoder = AudioCodecFactory.CreateOpusEncoder(new OpusEncoderOptions());
        _decoder = AudioCodecFactory.CreateOpusDecoder();
        _jitter = new JitterBuffer(_decoder, 48000, new JitterBufferOptions { PayloadType = 111 });
        var salt = Salt.AsSpan(0, Profile.MasterSaltLength());
        _sender = new SrtpContext(Profile, Key, salt);
        _receiver = new SrtpContext(Profile, Key, salt);
    }

    private byte[][] _received = null!;
    private int[] _receivedLengths = null!;
    private int _next;
    private SrtpContext _receivePathContext = null!;
    private JitterBuffer _receivePathJitter = null!;
    private long _receivePathFrame;

    [GlobalSetup(Target = nameof(ReceivePath))]
    public void SetupReceive()
    {
        Setup();
        // 20,000 distinct protected packets (400 s of audio): the replay window forbids reusing one.
        _received = new byte[20_000][];
        _receivedLengths = new int[_received.Length];
        for (int i = 0; i < _received.Length; i++)
        {
            var header = new RtpHeader { PayloadType = 111, SequenceNumber = (ushort)i, Timestamp = (uint)(i * 960), Ssrc = 0x55667788 };
            var packet = new byte[1500];
            int h = RtpPacket.WriteHeader(header, packet);
            int payload = _encoder.Encode(_pcm, packet.AsSpan(h, 1400));
            _sender.ProtectRtp(packet, h + payload, out int n);
            _received[i] = packet;
            _receivedLengths[i] = n;
        }

        ResetReceiver();
    }

    /// <summary>Receive side only: SRTP unprotect + RTP parse + jitter push + pull with Opus decode.</summary>
    [Benchmark]
    public int ReceivePath()
    {
        if (_next == _received.Length)
        {
            ResetReceiver(); // once per 20,000 calls
        }

        var packet = _received[_next];
        var copy = _packet.AsSpan(0, _receivedLengths[_next]);
        packet.AsSpan(0, copy.Length).CopyTo(copy);
        _next++;
        _receivePathContext.UnprotectRtp(copy, copy.Length, out int m);
        RtpPacket.TryRead(copy[..m], out var rtp);
        var now = TimeSpan.FromMilliseconds(20 * ++_receivePathFrame);
        _receivePathJitter.Push(rtp, now);
        _receivePathJitter.Pull(_out, now);
        return _out[100];
    }

    /// <summary>Send side only: Opus encode + RTP header + SRTP protect.</summary>
    [Benchmark]
    public int SendPath()
    {
        var header = new RtpHeader { PayloadType = 111, SequenceNumber = ++_seq, Timestamp = _ts += 960, Ssrc = 0x11223344 };
        int h = RtpPacket.WriteHeader(header, _packet);
        int payload = _encoder.Encode(_pcm, _packet.AsSpan(h, 1400));
        _sender.ProtectRtp(_packet, h + payload, out int n);
        return n;
    }

    private void ResetReceiver()
    {
        _next = 0;
        _receivePathFrame = 0;
        var salt = Salt.AsSpan(0, Profile.MasterSaltLength());
        _receivePathContext = new SrtpContext(Profile, Key, salt);
        _receivePathJitter = new JitterBuffer(AudioCodecFactory.CreateOpusDecoder(), 48000, new JitterBufferOptions { PayloadType = 111 });
    }

    [Benchmark]
    public int OneFrameBothDirections()
    {
        var header = new RtpHeader { PayloadType = 111, SequenceNumber = ++_seq, Timestamp = _ts += 960, Ssrc = 0x11223344 };
        int h = RtpPacket.WriteHeader(header, _packet);
        int payload = _encoder.Encode(_pcm, _packet.AsSpan(h, 1400));
        _sender.ProtectRtp(_packet, h + payload, out int n);
        _receiver.UnprotectRtp(_packet, n, out int m);
        RtpPacket.TryRead(_packet.AsSpan(0, m), out var packet);
        var now = TimeSpan.FromMilliseconds(20 * ++_frame);
        _jitter.Push(packet, now);
        _jitter.Pull(_out, now);
        return _out[100];
    }
}
