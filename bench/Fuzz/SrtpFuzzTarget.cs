using System.Buffers.Binary;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Srtp;

namespace MediaServer.Fuzz;

/// <summary>SRTP/SRTCP unprotect for both profiles on mutated protected packets.</summary>
public sealed class SrtpFuzzTarget : IFuzzTarget
{
    private static readonly byte[] Key = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] Salt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");
    private readonly SrtpContext _cm = new(SrtpProfile.Aes128CmHmacSha1_80, Key, Salt);
    private readonly SrtpContext _gcm = new(SrtpProfile.AeadAes128Gcm, Key, Salt.AsSpan(0, 12));
    private readonly byte[] _buffer = new byte[4200];

    public SrtpFuzzTarget()
    {
        var seeds = new List<byte[]>();
        foreach (var profile in new[] { SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm })
        {
            using var tx = new SrtpContext(profile, Key, Salt.AsSpan(0, profile.MasterSaltLength()));
            var rtp = new byte[12 + 160 + 16];
            rtp[0] = 0x80;
            rtp[1] = 111;
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), 0x1234);
            tx.ProtectRtp(rtp, 172, out int n);
            seeds.Add(rtp[..n]);
            var rtcp = new byte[28 + 20];
            rtcp[0] = 0x80;
            rtcp[1] = 201;
            rtcp[3] = 6;
            tx.ProtectRtcp(rtcp, 28, out n);
            seeds.Add(rtcp[..n]);
        }

        Seeds = seeds;
    }

    public string Name => "srtp";

    public IReadOnlyList<byte[]> Seeds { get; }

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        foreach (var context in new[] { _cm, _gcm })
        {
            input.CopyTo(_buffer);
            _ = context.UnprotectRtp(_buffer, input.Length, out _);
            input.CopyTo(_buffer);
            _ = context.UnprotectRtcp(_buffer, input.Length, out _);
        }
    }
}
