using System.Text;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transport;

namespace MediaServer.SipBridge.Tests.Transport;

public sealed class SipStreamFramerTests
{
    private const string Message = "OPTIONS sip:a@h SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl: 5\r\n\r\nhello";

    [Fact]
    public void Frames_byte_by_byte_and_back_to_back_messages()
    {
        var framer = new SipStreamFramer(SipParserLimits.Default);
        byte[] stream = Encoding.ASCII.GetBytes("\r\n\r\n" + Message + Message);
        var frames = new List<byte[]>();
        foreach (byte b in stream)
        {
            Assert.True(framer.Append([b]));
            while (framer.TryNext(out byte[] m) == SipStreamFramer.Result.Message)
            {
                frames.Add(m);
            }
        }

        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal(Message, Encoding.ASCII.GetString(f)));
    }

    [Fact]
    public void Missing_or_duplicate_content_length_breaks_the_stream()
    {
        var framer = new SipStreamFramer(SipParserLimits.Default);
        framer.Append("OPTIONS sip:a@h SIP/2.0\r\nVia: x\r\n\r\n"u8);
        Assert.Equal(SipStreamFramer.Result.Broken, framer.TryNext(out _));
        framer = new SipStreamFramer(SipParserLimits.Default);
        framer.Append("OPTIONS sip:a@h SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\nab"u8);
        Assert.Equal(SipStreamFramer.Result.Broken, framer.TryNext(out _));
    }

    [Fact]
    public void Oversized_messages_break_the_stream()
    {
        var framer = new SipStreamFramer(new SipParserLimits { MaxMessageBytes = 100, MaxHeaderBytes = 80 });
        framer.Append(Encoding.ASCII.GetBytes("OPTIONS sip:a@h SIP/2.0\r\nl: 500\r\n\r\n"));
        Assert.Equal(SipStreamFramer.Result.Broken, framer.TryNext(out _));
        framer = new SipStreamFramer(new SipParserLimits { MaxMessageBytes = 100, MaxHeaderBytes = 80 });
        framer.Append(Encoding.ASCII.GetBytes("OPTIONS sip:a@h SIP/2.0\r\n" + new string('x', 90)));
        Assert.Equal(SipStreamFramer.Result.Broken, framer.TryNext(out _));
    }
}

public sealed class SipTcpTransportTests
{
    [Fact]
    public async Task Connections_beyond_the_limit_are_closed_and_framed_messages_arrive()
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var tcp = new SipTcpTransport(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), SipParserLimits.Default,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance) { MaxConnections = 1 };
        tcp.Start((_, _, m) => received.Enqueue(Encoding.ASCII.GetString(m)));
        using var first = new System.Net.Sockets.TcpClient();
        await first.ConnectAsync(tcp.LocalEndPoint);
        await first.GetStream().WriteAsync(Encoding.ASCII.GetBytes("OPTIONS sip:a@h SIP/2.0\r\nl: 0\r\n\r\n"));
        for (int i = 0; i < 100 && received.IsEmpty; i++)
        {
            await Task.Delay(20);
        }

        Assert.Single(received);
        using var second = new System.Net.Sockets.TcpClient();
        await second.ConnectAsync(tcp.LocalEndPoint);
        byte[] buffer = new byte[16];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int n = await second.GetStream().ReadAsync(buffer, cts.Token); // closed by the server: end of stream
        Assert.Equal(0, n);
        Assert.Equal(1, tcp.ConnectionCount);
    }
}
