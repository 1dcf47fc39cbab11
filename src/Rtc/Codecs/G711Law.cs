namespace MediaServer.Rtc.Codecs;

/// <summary>The two G.711 companding laws and their static RTP payload types (RFC 3551 Table 4).</summary>
public enum G711Law
{
    /// <summary>PCMU, payload type 0 (North America, Japan).</summary>
    MuLaw = 0,

    /// <summary>PCMA, payload type 8 (rest of the world).</summary>
    ALaw = 8,
}
