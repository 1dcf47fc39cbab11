namespace MediaServer.Rtc.Stun;

/// <summary>STUN message types (RFC 8489 section 5: method and class interleaved in 14 bits).</summary>
public static class StunMessageType
{
    /// <summary>Binding request (method 0x001, class request).</summary>
    public const ushort BindingRequest = 0x0001;

    /// <summary>Binding indication (class indication): keep-alive, never answered (RFC 8489 section 6.3.2).</summary>
    public const ushort BindingIndication = 0x0011;

    /// <summary>Binding success response.</summary>
    public const ushort BindingSuccess = 0x0101;

    /// <summary>Binding error response.</summary>
    public const ushort BindingError = 0x0111;
}

/// <summary>STUN attribute types used by ICE (RFC 8489 section 18.3, RFC 8445 section 16.1).</summary>
public static class StunAttributeType
{
    /// <summary>MAPPED-ADDRESS (RFC 8489 section 14.1).</summary>
    public const ushort MappedAddress = 0x0001;

    /// <summary>USERNAME (section 14.3): <c>receiver-ufrag:sender-ufrag</c> in ICE.</summary>
    public const ushort Username = 0x0006;

    /// <summary>MESSAGE-INTEGRITY (section 14.5): HMAC-SHA1 over the message so far.</summary>
    public const ushort MessageIntegrity = 0x0008;

    /// <summary>ERROR-CODE (section 14.8).</summary>
    public const ushort ErrorCode = 0x0009;

    /// <summary>UNKNOWN-ATTRIBUTES (section 14.9).</summary>
    public const ushort UnknownAttributes = 0x000A;

    /// <summary>REALM (section 14.9).</summary>
    public const ushort Realm = 0x0014;

    /// <summary>NONCE (section 14.10).</summary>
    public const ushort Nonce = 0x0015;

    /// <summary>MESSAGE-INTEGRITY-SHA256 (section 14.6).</summary>
    public const ushort MessageIntegritySha256 = 0x001C;

    /// <summary>XOR-MAPPED-ADDRESS (section 14.2).</summary>
    public const ushort XorMappedAddress = 0x0020;

    /// <summary>PRIORITY (RFC 8445 section 16.1).</summary>
    public const ushort Priority = 0x0024;

    /// <summary>USE-CANDIDATE (RFC 8445 section 16.1): the controlling agent nominates this pair.</summary>
    public const ushort UseCandidate = 0x0025;

    /// <summary>SOFTWARE (RFC 8489 section 14.14).</summary>
    public const ushort Software = 0x8022;

    /// <summary>FINGERPRINT (RFC 8489 section 14.7): CRC-32 of the message XOR 0x5354554e.</summary>
    public const ushort Fingerprint = 0x8028;

    /// <summary>ICE-CONTROLLED (RFC 8445 section 16.1): sender believes it is controlled; carries a tie-breaker.</summary>
    public const ushort IceControlled = 0x8029;

    /// <summary>ICE-CONTROLLING (RFC 8445 section 16.1).</summary>
    public const ushort IceControlling = 0x802A;
}

/// <summary>STUN error codes used here (RFC 8489 section 14.8, RFC 8445 section 7.3.1.1).</summary>
public static class StunErrorCode
{
    /// <summary>400 Bad Request.</summary>
    public const int BadRequest = 400;

    /// <summary>401 Unauthenticated: missing or wrong MESSAGE-INTEGRITY.</summary>
    public const int Unauthenticated = 401;

    /// <summary>420 Unknown Attribute.</summary>
    public const int UnknownAttribute = 420;

    /// <summary>487 Role Conflict (RFC 8445).</summary>
    public const int RoleConflict = 487;
}
