using MediaServer.Signaling.Cluster;
using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.Tests.Cluster;

public sealed class ClusterRouteTests
{
    [Theory]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/accept", "CallControl", "rtc_abc")]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/reject", "CallControl", "rtc_abc")]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/refer", "CallControl", "rtc_abc")]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/hangup", "CallControl", "rtc_abc")]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/unknown", "Other", null)]
    [InlineData("GET", "/v1/realtime/calls/rtc_abc/hangup", "Other", null)]
    [InlineData("POST", "/v1/realtime/calls//hangup", "Other", null)]
    [InlineData("POST", "/v1/realtime/calls", "NewWork", null)]
    [InlineData("POST", "/v1/realtime/calls/dial", "NewWork", null)]
    [InlineData("GET", "/v1/realtime/calls", "Other", null)]
    [InlineData("GET", "/v1/realtime", "NewWork", null)]
    [InlineData("GET", "/api/v1/realtime/session", "NewWork", null)]
    [InlineData("POST", "/v1/realtime/client_secrets", "NewWork", null)]
    [InlineData("GET", "/healthz", "Other", null)]
    public void Classifies_by_method_and_path(string method, string path, string expected, string? callId)
    {
        var kind = ClusterRoute.Classify(method, new PathString(path), QueryCollection.Empty, out string? id);
        Assert.Equal(expected, kind.ToString());
        Assert.Equal(callId, id);
    }

    [Fact]
    public void A_call_id_query_is_a_monitoring_socket()
    {
        var query = new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["call_id"] = "rtc_x" });
        Assert.Equal(ClusterRouteKind.CallMonitor, ClusterRoute.Classify("GET", new PathString("/v1/realtime"), query, out string? id));
        Assert.Equal("rtc_x", id);
    }

    [Fact]
    public void Ephemeral_keys_are_found_in_the_header_the_subprotocol_and_the_query()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer ek_abc";
        Assert.Equal("ek_abc", ClusterRoute.EphemeralKey(context.Request));
        context.Request.Headers.Authorization = "Bearer sk-standard";
        Assert.Null(ClusterRoute.EphemeralKey(context.Request));
        context.Request.Headers.SecWebSocketProtocol = "realtime, openai-insecure-api-key.ek_def";
        Assert.Equal("ek_def", ClusterRoute.EphemeralKey(context.Request));
        var query = new DefaultHttpContext();
        query.Request.QueryString = new QueryString("?token=ek_ghi");
        Assert.Equal("ek_ghi", ClusterRoute.EphemeralKey(query.Request));
    }

    [Fact]
    public void Overlong_ids_are_never_looked_up()
    {
        string id = new('a', ClusterRoute.MaxIdLength + 1);
        Assert.Equal(ClusterRouteKind.Other, ClusterRoute.Classify("POST", new PathString($"/v1/realtime/calls/{id}/hangup"), QueryCollection.Empty, out _));
        var query = new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["call_id"] = id });
        Assert.Equal(ClusterRouteKind.Other, ClusterRoute.Classify("GET", new PathString("/v1/realtime"), query, out _));
    }
}
