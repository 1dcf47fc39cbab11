using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Fuzz;

/// <summary>
/// Arbitrary RTP into a jitter buffer with a real G.711 decoder and comfort noise, pulling a frame after each
/// input with a clock that moves by input-chosen steps: no packet may make the buffer throw or stall.
/// </summary>
public sealed class RtpJitterBufferFuzzTarget : IFuzzTarget
{
    private readonly JitterBuffer _buffer = new(new G711Decoder(G711Law.MuLaw), 8000);
    private readonly short[] _frame = new short[160];
    private double _nowMs;

    public string Name => "rtp-jitter";

    public IReadOnlyList<byte[]> Seeds { get; } =
    [
        Convert.FromHexString("80000001000000A0000000017F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F"),
        Convert.FromHexString("800D000200000140000000012A"),
        Convert.FromHexString("80800003FFFFFF60000000017F7F"),
    ];

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        _ = _buffer.Push(input, TimeSpan.FromMilliseconds(_nowMs));
        _nowMs += input.Length > 3 ? input[3] % 41 : 20;
        _buffer.Pull(_frame, TimeSpan.FromMilliseconds(_nowMs));
        if (RtpPacket.TryRead(input, out var packet) && packet.Ssrc == 0xFFFFFFFF)
        {
            _buffer.Reset();
        }
    }
}
