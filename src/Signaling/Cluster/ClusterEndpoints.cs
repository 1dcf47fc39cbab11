using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Cluster;

/// <summary>
/// The operator's side of the cluster: <c>POST /v1/admin/drain</c> (admin key; optional <c>{"deadline_seconds"}</c>)
/// starts draining and answers 202 with the drain state; <c>GET /v1/admin/nodes</c> lists the registry's live nodes;
/// <c>GET /readyz</c> is 200 while the node takes new work and 503 once it drains (the HTTP load balancer's or
/// Kubernetes' readiness probe), while <c>/healthz</c> stays 200 until the process ends.
/// </summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapCluster(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/admin/drain", DrainAsync);
        endpoints.MapGet("/v1/admin/drain", (HttpContext context, NodeDrain drain, ClusterSelf self) => IsAdmin(context)
            ? Results.Json(State(drain, self))
            : ApiError.Result(401, "invalid_api_key", "Reading the drain state needs an admin key or a standard key.", null));
        endpoints.MapGet("/v1/admin/nodes", NodesAsync);
        endpoints.MapGet("/readyz", (NodeDrain drain, ClusterSelf self) => drain.IsDraining
            ? Results.Json(new { status = "draining", node_id = self.NodeId }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok(new { status = "ready", node_id = self.NodeId }));
        return endpoints;
    }

    private static async Task<IResult> DrainAsync(HttpContext context, NodeDrain drain, ClusterSelf self)
    {
        if (!IsAdmin(context))
        {
            return ApiError.Result(401, "invalid_api_key", "Draining a node needs an admin key (MediaServer:Cluster:AdminApiKeys) or a standard key.", null);
        }

        TimeSpan? deadline = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("deadline_seconds", out var d))
            {
                if (d.ValueKind != JsonValueKind.Number || !d.TryGetDouble(out double seconds) || seconds is < 0 or > 86_400)
                {
                    return ApiError.Result(400, "invalid_value", "deadline_seconds must be a number from 0 to 86400.", "deadline_seconds");
                }

                deadline = TimeSpan.FromSeconds(seconds);
            }
        }
        catch (JsonException) when (context.Request.ContentLength is null or 0)
        {
            // No body: the configured deadline.
        }
        catch (JsonException)
        {
            return ApiError.Result(400, "invalid_json", "The body is not valid JSON.", null);
        }

        _ = drain.StartAsync(deadline);
        return Results.Json(State(drain, self), statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> NodesAsync(HttpContext context, INodeRegistry registry)
    {
        var auth = context.RequestServices.GetRequiredService<RealtimeAuthenticator>().Authenticate(context, EphemeralKeyUse.Refused);
        if (!auth.Success)
        {
            return ApiError.Result(401, auth.Code!, auth.Message!, null);
        }

        var nodes = await registry.NodesAsync(context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new
        {
            @object = "list",
            data = nodes.Select(n => new
            {
                id = n.Id,
                http_url = n.HttpUrl,
                calls = n.Calls,
                sessions = n.Sessions,
                draining = n.Draining,
                updated_at = n.UpdatedAt.ToUnixTimeMilliseconds(),
            }),
        });
    }

    private static object State(NodeDrain drain, ClusterSelf self) => new
    {
        node_id = self.NodeId,
        draining = drain.IsDraining,
        live = drain.Live,
        deadline_at = drain.Deadline?.ToUnixTimeSeconds(),
        drained = drain.Drained?.IsCompleted ?? false,
    };

    private static bool IsAdmin(HttpContext context)
    {
        var admins = context.RequestServices.GetRequiredService<IOptions<ClusterOptions>>().Value.AdminApiKeys;
        if (admins.Count == 0)
        {
            return context.RequestServices.GetRequiredService<RealtimeAuthenticator>().Authenticate(context, EphemeralKeyUse.Refused).Success;
        }

        string header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hash both sides so neither the content nor the length of a configured key leaks through timing.
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim()));
        bool match = false;
        foreach (string admin in admins)
        {
            match |= CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(admin)));
        }

        return match;
    }
}
