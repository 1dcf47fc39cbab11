using Microsoft.AspNetCore.Builder;

namespace MediaServer.Signaling.Limits;

/// <summary>Endpoint metadata: requests to this endpoint count against the caller's key rate.</summary>
public sealed class KeyRateLimitMetadata
{
    public static KeyRateLimitMetadata Instance { get; } = new();
}

/// <summary>Marks endpoints and adds the middleware.</summary>
public static class KeyRateLimitExtensions
{
    /// <summary>Counts this endpoint's requests against the caller's key (see <see cref="KeyRateLimitMiddleware"/>).</summary>
    public static TBuilder RateLimitedByKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(KeyRateLimitMetadata.Instance);

    /// <summary>Adds the key rate limit to the pipeline; place it after cluster forwarding.</summary>
    public static IApplicationBuilder UseKeyRateLimits(this IApplicationBuilder app) => app.UseMiddleware<KeyRateLimitMiddleware>();
}
