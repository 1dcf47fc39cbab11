using MediaServer.Signaling.Cluster;
using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.Tests.Cluster;

public sealed class ClusterRouteTests
{
    [Theory]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/accept", ClusterRouteKind.CallControl, "rtc_abc")]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/reject", ClusterRouteKind.CallControl, "rtc_abc")]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/refer", ClusterRouteKind.CallControl, "rtc_abc")]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/hangup", ClusterRouteKind.CallControl, "rtc_abc")]
    [InlineData("POST", "/v1/realtime/calls/rtc_abc/unknown", ClusterRouteKind.Other, null)]
    [InlineData("GET", "/v1/realtime/calls/rtc_abc/hangup", ClusterRouteKind.Other, null)]
    [InlineData("POST", "/v1/realtime/calls//hangup", ClusterRouteKind.Other, null)]
    [InlineData("POST", "/v1/realtime/calls", ClusterRouteKind.NewWork, null)]
    [InlineData("POST", "/v1/realtime/calls/dial", ClusterRouteKind.NewWork, null)]
    [InlineData("GET", "/v1/realtime/calls", ClusterRouteKind.Other, null)]
    [InlineData("GET", "/v1/realtime", ClusterRouteKind.NewWork, null)]
    [InlineData("GET", "/api/v1/realtime/session", ClusterRouteKind.NewWork, null)]
    [InlineData("POST", "/v1/realtime/client_secrets", ClusterRouteKind.NewWork, null)]
    [InlineData("GET", "/healthz", ClusterRouteKind.Other, null)]
    public void Classifies_by_method_and_path(string method, string path, ClusterRouteKind expected, string? callId)
    {
        var kind = ClusterRoute.Classify(method, new PathString(path), QueryCollection.Empty, out string? id);
        Assert.Equal(expected, kind);
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
    public void Overlong_ids_are_never_looked_up()
    {
        string id = new('a', ClusterRoute.MaxIdLength + 1);
        Assert.Equal(ClusterRouteKind.Other, ClusterRoute.Classify("POST", new PathString($"/v1/realtime/calls/{id}/hangup"), QueryCollection.Empty, out _));
        var query = new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["call_id"] = id });
        Assert.Equal(ClusterRouteKind.Other, ClusterRoute.Classify("GET", new PathString("/v1/realtime"), query, out _));
    }
}
