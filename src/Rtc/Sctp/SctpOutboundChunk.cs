namespace MediaServer.Rtc.Sctp;

/// <summary>A DATA chunk waiting to be sent or acknowledged (RFC 9260 section 6.1 and 6.3).</summary>
internal sealed class SctpOutboundChunk
{
    public required ushort Stream { get; init; }

    public required ushort Ssn { get; init; }

    public required uint Ppid { get; init; }

    /// <summary>DATA flags: U (4) unordered, B (2) first fragment, E (1) last fragment.</summary>
    public required byte Flags { get; init; }

    public required byte[] Payload { get; init; }

    public uint Tsn { get; set; }

    public long SentAt { get; set; }

    public int Transmissions { get; set; }

    /// <summary>Acknowledged by a gap block (may still be renege'd in theory; we keep it until the cumulative ack).</summary>
    public bool GapAcked { get; set; }

    public bool NeedsRetransmit { get; set; }

    public int MissIndications { get; set; }

    public bool FastRetransmitted { get; set; }

    /// <summary>Bytes on the wire for flight-size accounting: chunk header, DATA header and payload, padded.</summary>
    public int WireSize => (16 + Payload.Length + 3) & ~3;
}

/// <summary>A DATA chunk received and held for reassembly (RFC 9260 section 6.9).</summary>
internal sealed class SctpInboundChunk
{
    public required uint Tsn { get; init; }

    public required ushort Stream { get; init; }

    public required ushort Ssn { get; init; }

    public required uint Ppid { get; init; }

    public required byte Flags { get; init; }

    public required byte[] Payload { get; init; }

    public bool Unordered => (Flags & 0x04) != 0;

    public bool Beginning => (Flags & 0x02) != 0;

    public bool Ending => (Flags & 0x01) != 0;
}
