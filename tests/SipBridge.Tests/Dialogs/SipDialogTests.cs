using System.Net;
using System.Text;
using MediaServer.SipBridge.Dialogs;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;

namespace MediaServer.SipBridge.Tests.Dialogs;

public sealed class SipDialogTests
{
    private static readonly SipRemote Remote = new(new FakeSipTransport(), new IPEndPoint(IPAddress.Loopback, 5070));

    private static SipRequest Invite(string recordRoute) =>
        Parse($"INVITE sip:agent@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: \"Caller\" <sip:c@10.0.0.1>;tag=ft\r\n" +
              $"To: <sip:agent@127.0.0.1>\r\nCall-ID: d1\r\nCSeq: 10 INVITE\r\nContact: <sip:c@10.0.0.1:5070>\r\n{recordRoute}Content-Length: 0\r\n\r\n");

    private static SipRequest Parse(string text)
    {
        Assert.True(SipParser.TryParse(Encoding.ASCII.GetBytes(text), out var m, out var reason), reason.ToString());
        return (SipRequest)m!;
    }

    [Fact]
    public void Uas_dialog_routes_in_record_route_order_to_the_contact()
    {
        var dialog = SipDialog.FromUas(Invite("Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"), "lt", Remote);
        var bye = dialog.CreateRequest(SipMethods.Bye);
        Assert.Equal("sip:c@10.0.0.1:5070", bye.Uri.ToString());
        Assert.Equal(["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"], bye.Headers.Where(h => h.Name == "Route").Select(h => h.Value));
        Assert.Equal("lt", bye.From!.Tag);
        Assert.Equal("ft", bye.To!.Tag);
        Assert.Equal(new SipCSeq(1, "BYE"), bye.CSeq);
        Assert.Equal(new SipCSeq(2, "REFER"), dialog.CreateRequest(SipMethods.Refer).CSeq);
    }

    [Fact]
    public void Strict_route_puts_the_first_hop_in_the_request_uri_and_the_target_last()
    {
        var dialog = SipDialog.FromUas(Invite("Record-Route: <sip:strict.example.com>\r\n"), "lt", Remote);
        var bye = dialog.CreateRequest(SipMethods.Bye);
        Assert.Equal("sip:strict.example.com", bye.Uri.ToString());
        Assert.Equal("<sip:c@10.0.0.1:5070>", bye.Headers["Route"]);
    }

    [Fact]
    public void Uac_dialog_reverses_record_route_and_takes_the_remote_tag_from_the_2xx()
    {
        var invite = Invite(string.Empty);
        var ok = SipResponseFactory.Create(invite, 200, toTag: "rt");
        ok.Headers.Add("Record-Route", "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>");
        ok.Headers.Add("Contact", "<sip:agent@192.0.2.7>");
        var dialog = SipDialog.FromUac(invite, ok, Remote);
        var bye = dialog.CreateRequest(SipMethods.Bye);
        Assert.Equal(["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"], bye.Headers.Where(h => h.Name == "Route").Select(h => h.Value));
        Assert.Equal("sip:agent@192.0.2.7", bye.Uri.ToString());
        Assert.Equal(new SipCSeq(11, "BYE"), bye.CSeq);
        Assert.Equal("rt", bye.To!.Tag);
    }

    [Fact]
    public void Remote_cseq_must_increase_except_ack_and_cancel()
    {
        var dialog = SipDialog.FromUas(Invite(string.Empty), "lt", Remote);
        Assert.False(dialog.AcceptRemoteSeq(Parse("BYE sip:a@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK2\r\nFrom: <sip:c@h>;tag=ft\r\nTo: <sip:a@h>;tag=lt\r\nCall-ID: d1\r\nCSeq: 9 BYE\r\nContent-Length: 0\r\n\r\n")));
        Assert.True(dialog.AcceptRemoteSeq(Parse("ACK sip:a@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK3\r\nFrom: <sip:c@h>;tag=ft\r\nTo: <sip:a@h>;tag=lt\r\nCall-ID: d1\r\nCSeq: 10 ACK\r\nContent-Length: 0\r\n\r\n")));
        Assert.True(dialog.AcceptRemoteSeq(Parse("BYE sip:a@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK4\r\nFrom: <sip:c@h>;tag=ft\r\nTo: <sip:a@h>;tag=lt\r\nCall-ID: d1\r\nCSeq: 11 BYE\r\nContent-Length: 0\r\n\r\n")));
    }
}
