using System.Security.Cryptography;

namespace MediaServer.Rtc.Srtp;

/// <summary>
/// The AES-CM key derivation function (RFC 3711 section 4.3.1 and 4.3.3) with key derivation rate 0:
/// session key = AES-CM(master key, IV = (master salt XOR label &lt;&lt; 48) * 2^16). A 12-byte GCM master salt is
/// used as the first 12 bytes of the 14-byte salt field (RFC 7714 section 11, as libsrtp and pion do).
/// </summary>
public static class SrtpKeyDerivation
{
    /// <summary>SRTP encryption key label.</summary>
    public const byte RtpEncryption = 0;

    /// <summary>SRTP authentication key label.</summary>
    public const byte RtpAuthentication = 1;

    /// <summary>SRTP salt label.</summary>
    public const byte RtpSalt = 2;

    /// <summary>SRTCP encryption key label.</summary>
    public const byte RtcpEncryption = 3;

    /// <summary>SRTCP authentication key label.</summary>
    public const byte RtcpAuthentication = 4;

    /// <summary>SRTCP salt label.</summary>
    public const byte RtcpSalt = 5;

    /// <summary>Writes the session key for <paramref name="label"/> into <paramref name="output"/> (its length).</summary>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length > 14)
        {
            throw new ArgumentException("Master salt longer than 112 bits.", nameof(masterSalt));
        }

        using var aes = Aes.Create();
        aes.Key = masterKey.ToArray();
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[7] ^= label;
        output.Clear();
        Span<byte> scratch = stackalloc byte[((output.Length + 15) / 16) * 16];
        AesCounterMode.Apply(aes, iv, output, scratch);
    }
}
