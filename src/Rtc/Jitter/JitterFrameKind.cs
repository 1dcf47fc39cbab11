namespace MediaServer.Rtc.Jitter;

/// <summary>What a pulled frame is mostly made of.</summary>
public enum JitterFrameKind
{
    /// <summary>Decoded from packets that arrived in time.</summary>
    Decoded,

    /// <summary>Contains concealment of a lost or late packet.</summary>
    Concealed,

    /// <summary>Contains a frame rebuilt from forward error correction.</summary>
    RecoveredByFec,

    /// <summary>RFC 3389 comfort noise.</summary>
    ComfortNoise,

    /// <summary>Silence: nothing received yet, or between talk spurts.</summary>
    Silence,
}
