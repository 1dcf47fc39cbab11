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
