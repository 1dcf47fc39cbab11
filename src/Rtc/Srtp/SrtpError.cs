namespace MediaServer.Rtc.Srtp;

/// <summary>Why a packet was not protected or unprotected (RFC 3711 section 3.3 and 3.4 steps).</summary>
public enum SrtpError
{
    /// <summary>Done.</summary>
    None,

    /// <summary>Shorter than a header plus tag.</summary>
    TooShort,

    /// <summary>RTP version is not 2, or the header (CSRCs, extension) runs past the packet.</summary>
    BadHeader,

    /// <summary>The caller's buffer has no room for the tag (and SRTCP index).</summary>
    BufferTooSmall,

    /// <summary>Index older than the replay window (RFC 3711 section 3.3.2).</summary>
    ReplayTooOld,

    /// <summary>Index already received (RFC 3711 section 3.3.2).</summary>
    ReplayDuplicate,

    /// <summary>Tag mismatch: tampered, wrong key, or wrong rollover counter guess.</summary>
    AuthenticationFailed,
}
