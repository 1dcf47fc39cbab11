using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaServer.Rtc.Srtp;

/// <summary>
/// SRTP_AEAD_AES_128_GCM (RFC 7714): AES-128-GCM with a 16-byte tag; the RTP header is the associated data
/// (section 8.2). SRTCP (section 9) authenticates the first 8 bytes plus E|index as associated data:
/// <code>
/// SRTP:  | RTP header (AAD) | ciphertext | tag (16) |
/// SRTCP: | first 8 bytes (AAD) | ciphertext | tag (16) | E | SRTCP index (31) (AAD) |
/// </code>
/// IV = (00 00 || SSRC || ROC || SEQ) XOR salt for RTP, (00 00 || SSRC || 00 00 || 0 || index) XOR salt for RTCP.
/// </summary>
internal sealed class SrtpAesGcmTransform : ISrtpTransform
{
    private const int TagLength = 16;
    private readonly AesGcm _rtp;
    private readonly AesGcm _rtcp;
    private readonly byte[] _rtpSalt = new byte[12];
    private readonly byte[] _rtcpSalt = new byte[12];
    private readonly byte[] _aad = new byte[12];

    public SrtpAesGcmTransform(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        Span<byte> key = stackalloc byte[16];
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, key);
        _rtp = new AesGcm(key, TagLength);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, _rtpSalt);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpEncryption, key);
        _rtcp = new AesGcm(key, TagLength);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpSalt, _rtcpSalt);
        CryptographicOperations.ZeroMemory(key);
    }

    /// <summary>Builds a transform straight from session keys (RFC 7714 test vectors give those).</summary>
    internal SrtpAesGcmTransform(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> sessionSalt, bool sessionKeys)
    {
        _ = sessionKeys;
        _rtp = new AesGcm(sessionKey, TagLength);
        _rtcp = new AesGcm(sessionKey, TagLength);
        sessionSalt.CopyTo(_rtpSalt);
        sessionSalt.CopyTo(_rtcpSalt);
    }

    public int RtpOverhead => TagLength;

    public int RtcpOverhead => TagLength + 4;

    public void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ushort seq, uint roc)
    {
        Span<byte> iv = stackalloc byte[12];
        RtpIv(iv, ssrc, roc, seq);
        int end = packet.Length - TagLength;
        var payload = packet[headerLength..end];
        _rtp.Encrypt(iv, payload, payload, packet[end..], packet[..headerLength]);
    }

    public bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ushort seq, uint roc)
    {
        Span<byte> iv = stackalloc byte[12];
        RtpIv(iv, ssrc, roc, seq);
        int end = packet.Length - TagLength;
        var payload = packet[headerLength..end];
        try
        {
            _rtp.Decrypt(iv, payload, packet[end..], payload, packet[..headerLength]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void ProtectRtcp(Span<byte> packet, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[12];
        RtcpIv(iv, ssrc, index);
        int end = packet.Length - RtcpOverhead;
        uint word = 0x80000000u | index;
        BinaryPrimitives.WriteUInt32BigEndian(packet[(end + TagLength)..], word);
        var aad = _aad.AsSpan();
        packet[..8].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[8..], word);
        var body = packet[8..end];
        _rtcp.Encrypt(iv, body, body, packet.Slice(end, TagLength), aad);
    }

    public uint ReadRtcpIndex(ReadOnlySpan<byte> packet, out bool encrypted)
    {
        uint word = BinaryPrimitives.ReadUInt32BigEndian(packet[^4..]);
        encrypted = (word & 0x80000000u) != 0;
        return word & 0x7FFFFFFFu;
    }

    public bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted)
    {
        int end = packet.Length - RtcpOverhead;
        var aad = _aad.AsSpan();
        packet[..8].CopyTo(aad);
        packet[^4..].CopyTo(aad[8..]);
        Span<byte> iv = stackalloc byte[12];
        RtcpIv(iv, ssrc, index);
        if (!encrypted)
        {
            // RFC 7714 section 9.4: unencrypted SRTCP authenticates the whole packet as AAD with empty plaintext.
            return false;
        }

        var body = packet[8..end];
        try
        {
            _rtcp.Decrypt(iv, body, packet.Slice(end, TagLength), body, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private void RtpIv(Span<byte> iv, uint ssrc, uint roc, ushort seq)
    {
        iv[0] = 0;
        iv[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(iv[6..], roc);
        BinaryPrimitives.WriteUInt16BigEndian(iv[10..], seq);
        for (int i = 0; i < 12; i++)
        {
            iv[i] ^= _rtpSalt[i];
        }
    }

    private void RtcpIv(Span<byte> iv, uint ssrc, uint index)
    {
        iv[0] = 0;
        iv[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], ssrc);
        iv[6] = 0;
        iv[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[8..], index & 0x7FFFFFFFu);
        for (int i = 0; i < 12; i++)
        {
            iv[i] ^= _rtcpSalt[i];
        }
    }
}
