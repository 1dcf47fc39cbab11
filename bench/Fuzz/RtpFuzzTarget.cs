using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Fuzz;

/// <summary>
/// RTP parser (RFC 3550 + RFC 8285 extensions), write-back of whatever parsed, the Opus TOC reader and the RFC 3389
/// comfort noise payload, all on the same arbitrary bytes. A parsed packet must re-serialise to the same length.
/// </summary>
public sealed class RtpFuzzTarget : IFuzzTarget
{
    private readonly byte[] _out = new byte[8192];
    private readonly short[] _noise = new short[160];
    private readonly ComfortNoise _cn = new();

    public string Name => "rtp";

    public IReadOnlyList<byte[]> Seeds { get; } = BuildSeeds();

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        _ = OpusPacket.GetSamples48k(input);
        _ = OpusPacket.HasLbrr(input);
        if (_cn.TryUpdate(input))
        {
            _cn.Generate(_noise);
        }

        if (!RtpPacket.TryRead(input, out var packet, out _))
        {
            return;
        }

        foreach (var extension in packet.GetExtensions())
        {
            _ = extension.Data.Length;
        }

        _ = packet.TryGetExtension(1, out _);
        for (int i = 0; i < packet.Header.CsrcCount; i++)
        {
            _ = packet.Header.GetCsrc(i);
        }

        if (!packet.TryWrite(_out, out int written) || written != input.Length)
        {
            throw new InvalidOperationException($"re-serialised {written} bytes of a {input.Length}-byte packet");
        }
    }

    private static byte[][] BuildSeeds()
    {
        var seeds = new List<byte[]>
        {
            Convert.FromHexString("90E0698FD9C293DA1C642782BEDE000111AABB0098369E"),
            Convert.FromHexString("8000000100000001000000017F7F7F7F"),
            Convert.FromHexString("A00000010000000100000001000003"),
            Convert.FromHexString("806F0001000003C0000000017800112233"),
        };

        // CSRCs, a two-byte extension block and padding, written by our own writer.
        var header = new RtpHeader { PayloadType = 111, SequenceNumber = 65535, Timestamp = uint.MaxValue, Ssrc = 0xDEADBEEF, Marker = true };
        header.SetCsrcs([1u, 2u, 3u]);
        var ext = new byte[64];
        var writer = new RtpHeaderExtensionWriter(ext, twoByte: true);
        writer.TryAdd(200, [1, 2, 3]);
        writer.TryAdd(3, []);
        header.ExtensionProfile = writer.Profile;
        var block = writer.Finish().ToArray();
        var packet = new RtpPacket(header, [9, 8, 7], block, paddingLength: 4);
        var bytes = new byte[packet.Length];
        packet.Write(bytes);
        seeds.Add(bytes);
        return [.. seeds];
    }
}
