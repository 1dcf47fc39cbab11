namespace MediaServer.Rtc.Sctp;

/// <summary>Chunk types used by WebRTC data channels (RFC 9260 section 3.2, RFC 6525, RFC 3758).</summary>
public static class SctpChunkType
{
    /// <summary>DATA (section 3.3.1).</summary>
    public const byte Data = 0;

    /// <summary>INIT (section 3.3.2).</summary>
    public const byte Init = 1;

    /// <summary>INIT ACK (section 3.3.3).</summary>
    public const byte InitAck = 2;

    /// <summary>SACK (section 3.3.4).</summary>
    public const byte Sack = 3;

    /// <summary>HEARTBEAT (section 3.3.5).</summary>
    public const byte Heartbeat = 4;

    /// <summary>HEARTBEAT ACK (section 3.3.6).</summary>
    public const byte HeartbeatAck = 5;

    /// <summary>ABORT (section 3.3.7).</summary>
    public const byte Abort = 6;

    /// <summary>SHUTDOWN (section 3.3.8).</summary>
    public const byte Shutdown = 7;

    /// <summary>SHUTDOWN ACK (section 3.3.9).</summary>
    public const byte ShutdownAck = 8;

    /// <summary>ERROR (section 3.3.10).</summary>
    public const byte Error = 9;

    /// <summary>COOKIE ECHO (section 3.3.11).</summary>
    public const byte CookieEcho = 10;

    /// <summary>COOKIE ACK (section 3.3.12).</summary>
    public const byte CookieAck = 11;

    /// <summary>SHUTDOWN COMPLETE (section 3.3.13).</summary>
    public const byte ShutdownComplete = 14;

    /// <summary>RE-CONFIG (RFC 6525 section 3.1): stream resets close data channels (RFC 8831 section 6.7).</summary>
    public const byte ReConfig = 130;

    /// <summary>FORWARD TSN (RFC 3758 section 3.2).</summary>
    public const byte ForwardTsn = 192;
}
