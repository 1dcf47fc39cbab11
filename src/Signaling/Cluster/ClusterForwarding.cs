using System.Net;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace MediaServer.Signaling.Cluster;

/// <summary>
/// Middleware that lets any node sit behind a plain HTTP load balancer. A call-control request or a
/// <c>?call_id=</c> monitoring socket for a call held by another node is proxied there (YARP's
/// <see cref="IHttpForwarder"/>, WebSocket upgrades included), and so is a request carrying an ephemeral key minted
/// by another node; a new session, call or key reaching a draining node is
/// proxied to the least-loaded node that is not draining, or refused with 503 when there is none.
/// <para>Why proxy rather than redirect: a 307 needs every client to reach every node's address directly (pods behind
/// a Service usually cannot be), browsers do not follow redirects for WebSocket upgrades, and the OpenAI SDKs do not
/// either. Proxying keeps the one public address; the extra hop carries only signalling (media flows straight to the
/// node that holds the call). A forwarded request carries <see cref="ForwardedHeader"/> and is never forwarded again,
/// so a stale record cannot loop.</para>
/// </summary>
public sealed partial class ClusterForwarding(
    INodeRegistry registry,
    CallRegistry calls,
    ClientSecretStore secrets,
    NodeDrain drain,
    IHttpForwarder forwarder,
    ILogger<ClusterForwarding> logger) : IDisposable
{
    /// <summary>Set on forwarded requests to the id of the node that forwarded them.</summary>
    public const string ForwardedHeader = "X-MediaServer-Forwarded-By";

    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        // A proxied realtime socket can sit idle between turns; the nodes' WebSocket pings (20 s) keep it active.
        ActivityTimeout = TimeSpan.FromMinutes(5),
    };

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ActivityHeadersPropagator = null,
    });

    private readonly HttpTransformer _transformer = new MarkForwarded(registry.NodeId);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var kind = ClusterRoute.Classify(context.Request.Method, context.Request.Path, context.Request.Query, out string? callId);
        bool forwarded = context.Request.Headers.ContainsKey(ForwardedHeader);
        if (kind != ClusterRouteKind.Other && registry.IsShared && !forwarded
            && await HolderAsync(context.Request, kind, callId, context.RequestAborted).ConfigureAwait(false) is { } holder)
        {
            await ForwardAsync(context, holder).ConfigureAwait(false);
            return;
        }

        switch (kind)
        {
            case ClusterRouteKind.NewWork when drain.IsDraining:
                if (registry.IsShared && !forwarded && await PickPeerAsync(context.RequestAborted).ConfigureAwait(false) is { } peer)
                {
                    await ForwardAsync(context, peer).ConfigureAwait(false);
                    return;
                }

                context.Response.Headers.RetryAfter = "5";
                await RealtimeWebSocketHandler.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "server_error", "node_draining",
                    "This node is draining and takes no new sessions or calls; retry to reach another node.").ConfigureAwait(false);
                return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The other node a request belongs on: the one holding its call when the call is not here, else the one that
    /// minted its ephemeral key when the key is not known here (the key, its single use and its session config stay
    /// on that node; only the key's hash and node are in Redis). Null: serve it here.
    /// </summary>
    private async Task<NodeInfo?> HolderAsync(HttpRequest request, ClusterRouteKind kind, string? callId, CancellationToken cancellationToken)
    {
        if (kind is ClusterRouteKind.CallControl or ClusterRouteKind.CallMonitor && !calls.TryGet(callId!, out _)
            && await LocateAsync(ClusterItemKind.Call, callId!, cancellationToken).ConfigureAwait(false) is { } callHolder)
        {
            return callHolder;
        }

        return ClusterRoute.EphemeralKey(request) is { } key && !secrets.TryGet(key, out _)
            ? await LocateAsync(ClusterItemKind.Secret, ClusterKeys.Hash(key), cancellationToken).ConfigureAwait(false)
            : null;
    }

    private async Task<NodeInfo?> LocateAsync(ClusterItemKind itemKind, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.LocateAsync(itemKind, id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Without the registry only local calls can be served; the endpoint answers 404 for the rest.
            LogRegistryFailed(logger, ex);
            return null;
        }
    }

    private async Task<NodeInfo?> PickPeerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var nodes = await registry.NodesAsync(cancellationToken).ConfigureAwait(false);
            return nodes.Where(n => !n.Draining && n.Id != registry.NodeId).OrderBy(n => n.Load).ThenBy(n => n.Id, StringComparer.Ordinal).FirstOrDefault();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            LogRegistryFailed(logger, ex);
            return null;
        }
    }

    private async Task ForwardAsync(HttpContext context, NodeInfo node)
    {
        LogForwarding(logger, context.Request.Path.Value ?? "", node.Id);
        var error = await forwarder.SendAsync(context, node.HttpUrl, _client, RequestConfig, _transformer).ConfigureAwait(false);
        if (error != ForwarderError.None)
        {
            LogForwardFailed(logger, node.Id, error.ToString());
            if (!context.Response.HasStarted)
            {
                await RealtimeWebSocketHandler.WriteErrorAsync(context, StatusCodes.Status502BadGateway, "server_error", "node_unreachable",
                    "The node holding this call could not be reached.").ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>YARP's default transform (headers copied, hop-by-hop dropped) plus the loop guard header.</summary>
    private sealed class MarkForwarded(string nodeId) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
            proxyRequest.Headers.TryAddWithoutValidation(ForwardedHeader, nodeId);
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Forwarding {Path} to node {NodeId}")]
    private static partial void LogForwarding(ILogger logger, string path, string nodeId);

    [LoggerMessage(EventId = 421, Level = LogLevel.Warning, Message = "Forwarding to node {NodeId} failed: {Error}")]
    private static partial void LogForwardFailed(ILogger logger, string nodeId, string error);

    [LoggerMessage(EventId = 422, Level = LogLevel.Warning, Message = "Node registry lookup failed; serving locally")]
    private static partial void LogRegistryFailed(ILogger logger, Exception ex);
}
