namespace MediaServer.Rtc.Ice;

/// <summary>What an agent did with a STUN message, named after the RFC 8445 section 7.3 rule applied.</summary>
public enum IceCheckOutcome
{
    /// <summary>Valid check answered with a success response.</summary>
    Accepted,

    /// <summary>Valid check with USE-CANDIDATE: the pair is nominated (section 7.3.1.5).</summary>
    Nominated,

    /// <summary>MESSAGE-INTEGRITY missing or wrong: 401 sent (RFC 8489 section 9.1.3).</summary>
    BadIntegrity,

    /// <summary>USERNAME is not <c>our-ufrag:their-ufrag</c>: 401 sent.</summary>
    BadUsername,

    /// <summary>Both sides claim the same role and we keep ours: 487 sent (section 7.3.1.1).</summary>
    RoleConflict,

    /// <summary>FINGERPRINT wrong: dropped silently (RFC 8489 section 7.3: not a STUN message for us).</summary>
    BadFingerprint,

    /// <summary>Not a Binding request (an indication or a response): ignored, as a lite agent sends no checks.</summary>
    Ignored,

    /// <summary>The agent is closed or failed.</summary>
    Closed,
}
