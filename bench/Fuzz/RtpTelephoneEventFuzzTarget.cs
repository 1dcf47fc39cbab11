using MediaServer.Rtc.Dtmf;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Fuzz;

/// <summary>
/// RFC 4733 telephone-event payloads through the receiver's state machine, fed as RTP so that timestamps and
/// marker bits vary with the input too.
/// </summary>
public sealed class RtpTelephoneEventFuzzTarget : IFuzzTarget
{
    private readonly TelephoneEventReceiver _receiver = new();

    public string Name => "telephone-event";

    public IReadOnlyList<byte[]> Seeds { get; } =
    [
        Convert.FromHexString("80E500010000064000000001058A0320"),
        Convert.FromHexString("806500020000064000000001050A00A0"),
        Convert.FromHexString("0B3FFFFF"),
        Convert.FromHexString("10000000"),
    ];

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        _ = TelephoneEvent.TryRead(input, out var raw);
        _ = TelephoneEvent.ToDigit(raw.Event);
        if (RtpPacket.TryRead(input, out var packet))
        {
            _ = _receiver.Process(packet.Payload, packet.Timestamp, packet.Marker, out _);
        }
        else
        {
            _ = _receiver.Process(input, input.Length > 0 ? input[0] : 0u, input.Length > 1 && input[1] > 127, out _);
        }
    }
}
