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

    /// <summary>A new session, call or ephemeral key (WebSocket session, WebRTC offer, dial, client secret): any node
    /// that is not draining.</summary>
    NewWork,
}

/// <summary>Classifies requests by path and method only (no body is read), so it costs nothing on other routes.</summary>
internal static class ClusterRoute
{
    /// <summary>Longest call id looked up in the registry; longer ids cannot be ours (<c>rtc_</c> + 32 hex).</summary>
    internal const int MaxIdLength = 128;

    private static readonly string[] ControlActions = ["accept", "reject", "refer", "hangup"];

    /// <summary>
    /// The <c>ek_</c> key a request authenticates with (bearer header, browser subprotocol, or <c>?token=</c>), or
    /// null: such a request must reach the node that minted the key.
    /// </summary>
    public static string? EphemeralKey(HttpRequest request)
    {
        string auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ek_", StringComparison.OrdinalIgnoreCase))
        {
            return auth[7..].Trim();
        }

        foreach (string? header in request.Headers.SecWebSocketProtocol)
        {
            foreach (string protocol in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (protocol.StartsWith(Auth.RealtimeAuthenticator.SubprotocolKeyPrefix + "ek_", StringComparison.Ordinal))
                {
                    return protocol[Auth.RealtimeAuthenticator.SubprotocolKeyPrefix.Length..];
                }
            }
        }

        string? token = request.Query["token"];
        return token is not null && token.StartsWith("ek_", StringComparison.Ordinal) ? token : null;
    }

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
        // An ephemeral key is served by the node that minted it, so a draining node must not mint any more.
        if (p is calls or calls + "/dial" or "/v1/realtime/client_secrets")
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
