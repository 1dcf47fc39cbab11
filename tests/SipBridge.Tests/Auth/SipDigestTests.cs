using System.Text;
using MediaServer.SipBridge.Auth;
using MediaServer.SipBridge.Messages;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.SipBridge.Tests.Auth;

public sealed class SipDigestTests
{
    [Fact]
    public void Rfc2617_section_3_5_example_response()
    {
        string response = SipDigest.Response("Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b");
        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Fact]
    public void Challenge_answer_verifies_and_wrong_password_or_old_nonce_does_not()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var server = new SipDigestAuthenticator("mediaserver", "trunk", "s3cret", time);
        string challenge = server.Challenge();
        Assert.True(SipDigest.TryParse(challenge, out var fields));
        Assert.Equal("mediaserver", fields["realm"]);

        SipRequest Make(string password)
        {
            var r = new SipRequest { Method = "INVITE", Uri = SipUri.Create("agent", "127.0.0.1") };
            r.Headers.Add(SipHeaderNames.Authorization, SipDigest.Answer(challenge, "trunk", password, "INVITE", r.Uri.ToString())!);
            return r;
        }

        Assert.True(server.Verify(Make("s3cret"), out _));
        Assert.False(server.Verify(Make("wrong"), out bool stale));
        Assert.False(stale);
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(server.Verify(Make("s3cret"), out stale));
        Assert.True(stale);
        var forged = new SipRequest { Method = "INVITE", Uri = SipUri.Create("agent", "127.0.0.1") };
        forged.Headers.Add(SipHeaderNames.Authorization, "Digest username=\"trunk\", realm=\"mediaserver\", nonce=\"1:abc\", uri=\"sip:agent@127.0.0.1\", response=\"00\"");
        Assert.False(server.Verify(forged, out _));
    }

    [Fact]
    public void Parses_quoted_values_with_commas()
    {
        Assert.True(SipDigest.TryParse("Digest realm=\"a, b\", nonce=\"n\", qop=\"auth,auth-int\"", out var f));
        Assert.Equal("a, b", f["realm"]);
        Assert.Equal("auth,auth-int", f["qop"]);
        Assert.False(SipDigest.TryParse("Basic abc", out _));
        _ = Encoding.UTF8;
    }
}
