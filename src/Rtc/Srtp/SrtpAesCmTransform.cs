using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaServer.Rtc.Srtp;

/// <summary>
/// SRTP_AES128_CM_HMAC_SHA1_80 (RFC 3711): AES-128 counter mode encryption of the payload and an 80-bit
/// HMAC-SHA1 tag over header, payload and ROC (section 4.2). SRTCP (section 3.4) encrypts after the first 8 bytes
/// and appends E|index then the tag:
/// <code>
/// SRTP:  | RTP header | encrypted payload | auth tag (10) |
/// SRTCP: | first 8 bytes | encrypted rest | E | SRTCP index (31) | auth tag (10) |
/// </code>
/// </summary>
internal sealed class SrtpAesCmTransform : ISrtpTransform
{
    private const int TagLength = 10;
    private readonly Aes _rtpAes;
    private readonly Aes _rtcpAes;
    private readonly ICryptoTransform _rtpEcb;
    private readonly ICryptoTransform _rtcpEcb;
    private readonly IncrementalHash _rtpHmac;
    private readonly IncrementalHash _rtcpHmac;
    private readonly byte[] _rtpSalt = new byte[14];
    private readonly byte[] _rtcpSalt = new byte[14];
    private readonly byte[] _scratch = new byte[65536 + 32];
    private readonly byte[] _iv = new byte[16];
    private readonly byte[] _mac = new byte[20];

    public SrtpAesCmTransform(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        Span<byte> key = stackalloc byte[16];
        Span<byte> auth = stackalloc byte[20];
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, key);
        _rtpAes = Aes.Create();
        _rtpAes.Key = key.ToArray();
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthentication, auth);
        _rtpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, auth);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, _rtpSalt);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpEncryption, key);
        _rtcpAes = Aes.Create();
        _rtcpAes.Key = key.ToArray();
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpAuthentication, auth);
        _rtcpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, auth);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpSalt, _rtcpSalt);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(auth);
        _rtpAes.Mode = CipherMode.ECB;
        _rtpAes.Padding = PaddingMode.None;
        _rtcpAes.Mode = CipherMode.ECB;
        _rtcpAes.Padding = PaddingMode.None;
        _rtpEcb = _rtpAes.CreateEncryptor();
        _rtcpEcb = _rtcpAes.CreateEncryptor();
    }

    public int RtpOverhead => TagLength;

    public int RtcpOverhead => TagLength + 4;

    public void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ushort seq, uint roc)
    {
        int length = packet.Length - TagLength;
        Encrypt(_rtpEcb, _rtpSalt, ssrc, ((ulong)roc << 16) | seq, packet[headerLength..length]);
        Authenticate(_rtpHmac, packet[..length], roc, packet.Slice(length, TagLength));
    }

    public bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ushort seq, uint roc)
    {
        int length = packet.Length - TagLength;
        Span<byte> tag = stackalloc byte[TagLength];
        Authenticate(_rtpHmac, packet[..length], roc, tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, packet.Slice(length, TagLength)))
        {
            return false;
        }

        Encrypt(_rtpEcb, _rtpSalt, ssrc, ((ulong)roc << 16) | seq, packet[headerLength..length]);
        return true;
    }

    public void ProtectRtcp(Span<byte> packet, uint ssrc, uint index)
    {
        int length = packet.Length - RtcpOverhead;
        Encrypt(_rtcpEcb, _rtcpSalt, ssrc, index, packet[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], 0x80000000u | index);
        AuthenticateRtcp(packet[..(length + 4)], packet.Slice(length + 4, TagLength));
    }

    public uint ReadRtcpIndex(ReadOnlySpan<byte> packet, out bool encrypted)
    {
        uint word = BinaryPrimitives.ReadUInt32BigEndian(packet[^RtcpOverhead..]);
        encrypted = (word & 0x80000000u) != 0;
        return word & 0x7FFFFFFFu;
    }

    public bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted)
    {
        int authenticated = packet.Length - TagLength;
        Span<byte> tag = stackalloc byte[TagLength];
        AuthenticateRtcp(packet[..authenticated], tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, packet[authenticated..]))
        {
            return false;
        }

        if (encrypted)
        {
            Encrypt(_rtcpEcb, _rtcpSalt, ssrc, index, packet[8..(authenticated - 4)]);
        }

        return true;
    }

    public void Dispose()
    {
        _rtpEcb.Dispose();
        _rtcpEcb.Dispose();
        _rtpAes.Dispose();
        _rtcpAes.Dispose();
        _rtpHmac.Dispose();
        _rtcpHmac.Dispose();
    }

    /// <summary>IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16) (RFC 3711 section 4.1.1).</summary>
    private void Encrypt(ICryptoTransform aes, byte[] salt, uint ssrc, ulong index, Span<byte> data)
    {
        var iv = _iv.AsSpan();
        salt.CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (int i = 0; i < 6; i++)
        {
            iv[8 + i] ^= (byte)(index >> (40 - (8 * i)));
        }

        AesCounterMode.Apply(aes, iv, data, _scratch);
    }

    /// <summary>Tag = first 80 bits of HMAC-SHA1(k_a, M || ROC) (RFC 3711 section 4.2).</summary>
    private void Authenticate(IncrementalHash hmac, ReadOnlySpan<byte> message, uint roc, Span<byte> tag)
    {
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        hmac.AppendData(message);
        hmac.AppendData(rocBytes);
        hmac.GetHashAndReset(_mac);
        _mac.AsSpan(0, TagLength).CopyTo(tag);
    }

    private void AuthenticateRtcp(ReadOnlySpan<byte> message, Span<byte> tag)
    {
        _rtcpHmac.AppendData(message);
        _rtcpHmac.GetHashAndReset(_mac);
        _mac.AsSpan(0, TagLength).CopyTo(tag);
    }
}
