namespace MediaServer.Rtc.Dtls;

/// <summary>
/// SRTP protection profiles negotiated by DTLS <c>use_srtp</c> (RFC 5764 section 4.1.2, RFC 7714 section 14.2),
/// with the key and salt sizes the exporter must produce.
/// </summary>
public enum SrtpProfile
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80 (0x0001): AES-128 counter mode, 80-bit HMAC-SHA1 tag.</summary>
    Aes128CmHmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM (0x0007): AES-128-GCM with a 128-bit tag.</summary>
    AeadAes128Gcm = 0x0007,
}

/// <summary>Sizes per profile.</summary>
public static class SrtpProfileExtensions
{
    /// <summary>Master key length in bytes (16 for both).</summary>
    public static int MasterKeyLength(this SrtpProfile profile) => 16;

    /// <summary>Master salt length: 14 for AES-CM (RFC 3711), 12 for GCM (RFC 7714 section 12).</summary>
    public static int MasterSaltLength(this SrtpProfile profile) => profile == SrtpProfile.AeadAes128Gcm ? 12 : 14;

    /// <summary>Bytes to export: client key, server key, client salt, server salt (RFC 5764 section 4.2).</summary>
    public static int KeyingMaterialLength(this SrtpProfile profile) => 2 * (profile.MasterKeyLength() + profile.MasterSaltLength());
}
