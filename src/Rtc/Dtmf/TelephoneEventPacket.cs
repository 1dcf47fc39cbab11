namespace MediaServer.Rtc.Dtmf;

/// <summary>One packet the sender wants on the wire: the event block, its RTP timestamp and marker bit.</summary>
/// <param name="Event">The 4-byte payload content.</param>
/// <param name="Timestamp">RTP timestamp: the event's start, the same in every packet of one event (segment).</param>
/// <param name="Marker">Set on the first packet of an event only (RFC 4733 section 2.5.1.2).</param>
public readonly record struct TelephoneEventPacket(TelephoneEvent Event, uint Timestamp, bool Marker);
