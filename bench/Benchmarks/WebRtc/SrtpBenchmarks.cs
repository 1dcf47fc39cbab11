using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Srtp;

namespace MediaServer.Benchmarks.WebRtc;

/// <summary>
/// SRTP cost per 20 ms Opus packet (12-byte header + 160-byte payload) for both WebRTC profiles. Unprotect needs
/// a fresh sequence number each time (replay window), so it is measured as protect-then-unprotect; unprotect alone
/// is the difference.
/// </summary>
[MemoryDiagnoser]
public class SrtpBenchmarks
{
    private static readonly byte[] Key = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] Salt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");
    private readonly byte[] _packet = new byte[256];
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private ushort _seq;

    [Params(SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var salt = Salt.AsSpan(0, Profile.MasterSaltLength());
        _sender = new SrtpContext(Profile, Key, salt);
        _receiver = new SrtpContext(Profile, Key, salt);
        _packet[0] = 0x80;
        _packet[1] = 111;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), 0x11223344);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    [Benchmark]
    public int Protect()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), ++_seq);
        _sender.ProtectRtp(_packet, 172, out int n);
        return n;
    }

    [Benchmark]
    public int ProtectThenUnprotect()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), ++_seq);
        _sender.ProtectRtp(_packet, 172, out int n);
        if (_receiver.UnprotectRtp(_packet, n, out int m) != SrtpError.None)
        {
            throw new InvalidOperationException("unprotect failed");
        }

        return m;
    }
}
