using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Ua;

namespace MediaServer.SipBridge.Tests.Messages;

/// <summary>
/// Every RFC 4475 torture message (tests/TestVectors/rfc4475/*.dat) against the outcome listed in expected.txt:
/// valid ones parse (and the UAS checks give the status RFC 4475 asks for); invalid requests are rejected with the
/// named reason and a 400/505 response can still be built; invalid responses are dropped.
/// </summary>
public sealed class Rfc4475TortureTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(SipTestData.Rfc4475, "expected.txt")))
        {
            if (line.StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            data.Add(f[0], f[2], f[3]);
        }

        return data;
    }

    [Fact]
    public void Every_message_file_has_an_expectation()
    {
        var files = Directory.GetFiles(SipTestData.Rfc4475, "*.dat").Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();
        var expected = Cases().Select(c => (string)c[0]).Order().ToList();
        Assert.Equal(49, files.Count);
        Assert.Equal(files, expected);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Message_gets_the_expected_outcome(string name, string parse, string uas)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(SipTestData.Rfc4475, name + ".dat"));
        bool ok = SipParser.TryParse(bytes, SipParserLimits.Default, datagram: true, out var message, out _, out var reason);
        if (parse == "accept")
        {
            Assert.True(ok, $"{name}: {reason}");
            Assert.Equal(SipRejectionReason.None, reason);
            if (uas != "-")
            {
                var request = Assert.IsType<SipRequest>(message);
                Assert.Equal(int.Parse(uas, System.Globalization.CultureInfo.InvariantCulture), SipUasChecks.Check(request, out _));
            }

            // A valid message survives a serialise/parse round trip with the same start line and body.
            Assert.True(SipParser.TryParse(message!.ToBytes(), out var again, out var againReason), $"{name} round trip: {againReason}");
            Assert.Equal(message.Body, again!.Body);
            Assert.Equal(message.CallId, again.CallId);
            return;
        }

        Assert.False(ok);
        string[] parts = parse.Split(':');
        Assert.Equal(Enum.Parse<SipRejectionReason>(parts[1]), reason);
        if (parts[0] == "drop")
        {
            Assert.True(message is null or SipResponse, "only responses and unreadable messages are dropped");
            return;
        }

        var bad = Assert.IsType<SipRequest>(message);
        int status = SipRejectionReasons.StatusCode(reason);
        Assert.Equal(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), status);
        var response = SipResponseFactory.Create(bad, status, SipRejectionReasons.Describe(reason));
        Assert.True(response.Headers.CountOf(SipHeaderNames.Via) > 0);
        Assert.Equal(bad.CallId, response.CallId);
    }

    [Fact]
    public void Short_tortuous_invite_is_read_field_by_field()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(SipTestData.Rfc4475, "wsinv.dat"));
        Assert.True(SipParser.TryParse(bytes, out var m, out _));
        var request = Assert.IsType<SipRequest>(m);
        Assert.Equal("INVITE", request.Method);
        Assert.Equal("1918181833n", request.To!.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal(new SipCSeq(9, "INVITE"), request.CSeq);
        Assert.Equal("68", request.Headers[SipHeaderNames.MaxForwards]!.TrimStart('0'));
        var vias = request.Vias;
        Assert.Equal(3, vias.Count);
        Assert.Equal("192.0.2.2", vias[0].Host);
        Assert.Equal("TCP", vias[1].Transport);
        Assert.Equal("z9hG4bK30239", vias[2].Branch);
        Assert.Equal("Quoted string \"\"", request.Contact!.DisplayName);
        Assert.Equal("0.33", request.Contact.Parameters.Get("q"));
        Assert.Equal("newfangled value continued newfangled value", request.Headers["NewFangledHeader"]);
        Assert.Equal(150, request.Body.Length);
    }

    [Fact]
    public void Double_request_datagram_keeps_only_the_first_message()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(SipTestData.Rfc4475, "dblreq.dat"));
        Assert.True(SipParser.TryParse(bytes, out var m, out _));
        Assert.Equal("REGISTER", Assert.IsType<SipRequest>(m).Method);
        Assert.Empty(m!.Body);
    }

    [Fact]
    public void Escaped_and_binary_content_survives()
    {
        Assert.True(SipParser.TryParse(File.ReadAllBytes(Path.Combine(SipTestData.Rfc4475, "intmeth.dat")), out var m, out _));
        var request = Assert.IsType<SipRequest>(m);
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.Method);
        Assert.Equal("BEL:\u0007 NUL:\0 DEL:\u007F", request.To!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", request.From!.Tag);

        Assert.True(SipParser.TryParse(File.ReadAllBytes(Path.Combine(SipTestData.Rfc4475, "mpart01.dat")), out var mp, out _));
        Assert.Contains((byte)0xFF, mp!.Body);
    }
}
