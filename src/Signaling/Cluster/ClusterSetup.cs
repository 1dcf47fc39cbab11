using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MediaServer.Signaling.Limits;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MediaServer.Signaling.Cluster;

/// <summary>Registers the cluster services: the Redis registry when configured, else the single-node one.</summary>
public static class ClusterSetup
{
    /// <param name="services">The host's services.</param>
    /// <param name="section">Configuration section <c>MediaServer:Cluster</c>.</param>
    /// <param name="listenAddress">The HTTP listen address; advertised unless <see cref="ClusterOptions.AdvertisedHttpUrl"/>
    /// is set (a wildcard address advertises the host name).</param>
    /// <param name="port">The HTTP port.</param>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration section, IPAddress listenAddress, int port)
    {
        services.Configure<ClusterOptions>(section);
        var options = section.Get<ClusterOptions>() ?? new ClusterOptions();
        options.Validate();
        string nodeId = options.NodeId ?? $"{Environment.MachineName}-{port}";
        string host = listenAddress.Equals(IPAddress.Any) || listenAddress.Equals(IPAddress.IPv6Any) ? Environment.MachineName
            : listenAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{listenAddress}]" : listenAddress.ToString();
        services.AddSingleton(new ClusterSelf(nodeId, (options.AdvertisedHttpUrl ?? $"http://{host}:{port}").TrimEnd('/')));
        if (options.Redis is { Length: > 0 } connection)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ =>
            {
                var config = ConfigurationOptions.Parse(connection);
                // Start even while Redis is down: the multiplexer reconnects by itself and the heartbeat retries.
                config.AbortOnConnectFail = false;
                return ConnectionMultiplexer.Connect(config);
            });
            services.AddSingleton<INodeRegistry>(sp => new RedisNodeRegistry(
                sp.GetRequiredService<IConnectionMultiplexer>(), nodeId, sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
            services.AddSingleton<ISharedRateCounter>(sp => new RedisRateCounter(sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value, sp.GetRequiredService<ILogger<RedisRateCounter>>()));
        }
        else
        {
            services.AddSingleton<INodeRegistry>(new LocalNodeRegistry(nodeId));
        }

        services.AddSingleton<NodeDrain>();
        services.AddHostedService<NodeHeartbeat>();
        services.AddHttpForwarder();
        services.AddSingleton<ClusterForwarding>();
        return services;
    }

    /// <summary>Adds the forwarding middleware (before the endpoints it forwards for).</summary>
    public static IApplicationBuilder UseClusterForwarding(this IApplicationBuilder app)
    {
        var forwarding = app.ApplicationServices.GetRequiredService<ClusterForwarding>();
        return app.Use(next => context => forwarding.InvokeAsync(context, next));
    }
}
