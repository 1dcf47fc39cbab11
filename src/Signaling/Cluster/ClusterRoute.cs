using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.Cluster;

/// <summary>What a request means to the cluster: which call it is about, or whether it opens new work.</summary>
internal enum ClusterRouteKind
{
    /// <summary>Anything else: always served here.</summary>
    Other,

    /// <summary><c>POST /v1/realtime/calls/{id}/accept|reject|refer|hangup</c>: must reach the call's node.</summary>
    CallControl,

    /// <summary><c>/v1/realtime?call_id=</c> monitoring socket: must reach the call's node.</summary>
    CallMonitor,

    /// <summary>A new session or call (WebSocket session, WebRTC offer, dial): any node that is not draining.</summary>
    NewWork,
}

/// <summary>Classifies requests by path and method only (no body is read), so it costs nothing on other routes.</summary>
internal static class ClusterRoute
{
    /// <summary>Longest call id looked up in the registry; longer ids cannot be ours (<c>rtc_</c> + 32 hex).</summary>
    internal const int MaxIdLength = 128;

    private static readonly string[] ControlActions = ["accept", "reject", "refer", "hangup"];

    public static ClusterRouteKind Classify(string method, PathString path, IQueryCollection query, out string? callId)
    {
        callId = null;
        string p = path.Value ?? "";
        if (p is "/v1/realtime" or "/api/v1/realtime/session")
        {
            if (query.TryGetValue("call_id", out var id))
            {
                callId = id.ToString();
                return callId.Length is > 0 and <= MaxIdLength ? ClusterRouteKind.CallMonitor : ClusterRouteKind.Other;
            }

            return ClusterRouteKind.NewWork;
        }

        if (!HttpMethods.IsPost(method))
        {
            return ClusterRouteKind.Other;
        }

        const string calls = "/v1/realtime/calls";
        if (p is calls or calls + "/dial")
        {
            return ClusterRouteKind.NewWork;
        }

        // /v1/realtime/calls/{id}/{action}
        if (p.StartsWith(calls + "/", StringComparison.Ordinal))
        {
            var rest = p.AsSpan(calls.Length + 1);
            int slash = rest.IndexOf('/');
            if (slash is > 0 and <= MaxIdLength && Array.IndexOf(ControlActions, rest[(slash + 1)..].ToString()) >= 0)
            {
                callId = rest[..slash].ToString();
                return ClusterRouteKind.CallControl;
            }
        }

        return ClusterRouteKind.Other;
    }
}
