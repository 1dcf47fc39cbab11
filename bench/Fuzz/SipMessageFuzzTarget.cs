using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transport;

namespace MediaServer.Fuzz;

/// <summary>
/// The SIP parser and stream framer on mutated messages, seeded from the RFC 4475 torture corpus
/// (tests/TestVectors/rfc4475) plus a typical trunk INVITE. Also exercises the typed accessors a UAS reads
/// after a successful parse, and serialises what parsed. Any exception is a crash: the parser has no
/// expected exception type.
/// </summary>
public sealed class SipMessageFuzzTarget : IFuzzTarget
{
    private static readonly SipParserLimits Limits = SipParserLimits.Default;

    public SipMessageFuzzTarget()
    {
        var seeds = new List<byte[]>();
        string? dir = FindCorpus();
        if (dir is not null)
        {
            seeds.AddRange(Directory.GetFiles(dir, "*.dat").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).Where(b => b.Length <= 4096));
        }

        seeds.Add("INVITE sip:agent@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK776;rport\r\nFrom: \"Caller\" <sip:+15551234@127.0.0.1>;tag=1\r\nTo: <sip:agent@127.0.0.1>\r\nCall-ID: a84b4c76e66710\r\nCSeq: 314159 INVITE\r\nContact: <sip:caller@127.0.0.1:5070>\r\nRecord-Route: <sip:p1.example.com;lr>, <sip:[2001:db8::1]:5070;lr>\r\nSession-Expires: 1800;refresher=uac\r\nMax-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: 12\r\n\r\nv=0\r\ns=-\r\n\r\n"u8.ToArray());
        Seeds = seeds;
    }

    public string Name => "sip";

    public IReadOnlyList<byte[]> Seeds { get; }

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        if (SipParser.TryParse(input, Limits, datagram: true, out var message, out _, out _) && message is not null)
        {
            _ = message.From?.Tag;
            _ = message.To?.ToString();
            _ = message.Contact?.Uri.ToString();
            _ = message.Vias.Count;
            _ = message.TopVia?.Branch;
            _ = message.CSeq;
            _ = message.ContentType;
            _ = message.ToBytes();
            if (message is SipRequest request)
            {
                _ = MediaServer.SipBridge.Ua.SipUasChecks.Check(request, out _);
                _ = SipResponseFactory.Create(request, 200, toTag: "x").ToBytes();
            }
        }
        else if (message is SipRequest bad)
        {
            _ = SipResponseFactory.Create(bad, 400).ToBytes();
        }

        var framer = new SipStreamFramer(Limits);
        framer.Append(input);
        while (framer.TryNext(out byte[] framed) == SipStreamFramer.Result.Message)
        {
            SipParser.TryParse(framed, Limits, datagram: false, out _, out _, out _);
        }
    }

    private static string SourceRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));

    private static string? FindCorpus()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaServer.sln")))
        {
            dir = dir.Parent;
        }

        string root = dir?.FullName ?? SourceRoot();
        string corpus = Path.Combine(root, "tests", "TestVectors", "rfc4475");
        return Directory.Exists(corpus) ? corpus : null;
    }
}
