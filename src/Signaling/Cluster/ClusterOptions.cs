namespace MediaServer.Signaling.Cluster;

/// <summary>
/// Configuration section <c>MediaServer:Cluster</c>: how a node finds its peers. Without <see cref="Redis"/> the node
/// runs alone exactly as a single server always did (nothing is shared, nothing is forwarded).
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>
    /// StackExchange.Redis connection string of the shared node registry (for example <c>redis:6379</c>). Null (the
    /// default): single node.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>This node's id in the registry. Default: host name and HTTP port (unique per machine and port).</summary>
    public string? NodeId { get; set; }

    /// <summary>
    /// Base URL other nodes use to reach this node's HTTP port when they forward a request (for example
    /// <c>http://10.0.0.7:8080</c>; a Kubernetes pod IP). Default: the configured HTTP listen address and port.
    /// </summary>
    public string? AdvertisedHttpUrl { get; set; }

    /// <summary>Prefix of every Redis key, so several clusters can share one Redis. Default <c>mediaserver:</c>.</summary>
    public string KeyPrefix { get; set; } = "mediaserver:";

    /// <summary>How often the node writes its load and refreshes its records. Default 2 s.</summary>
    public double HeartbeatSeconds { get; set; } = 2;

    /// <summary>
    /// Lifetime of the node record and of each call/session record without a refresh: a node that dies drops out of
    /// the registry after this. Default 10 s (five missed heartbeats).
    /// </summary>
    public double RecordTtlSeconds { get; set; } = 10;

    /// <summary>
    /// How long a drain (<c>POST /v1/admin/drain</c> or SIGTERM) lets live calls and sessions finish before it ends
    /// them with BYE and close frames. Default 60 s; on Kubernetes keep <c>terminationGracePeriodSeconds</c> above it.
    /// </summary>
    public double DrainDeadlineSeconds { get; set; } = 60;

    /// <summary>
    /// Keys that may drain the node (<c>POST /v1/admin/drain</c>, as <c>Authorization: Bearer</c>). Empty (the
    /// default): any standard API key may (ephemeral keys never).
    /// </summary>
    public List<string> AdminApiKeys { get; set; } = [];

    /// <summary>Throws when a value is out of range; called when the cluster services start.</summary>
    public void Validate()
    {
        if (HeartbeatSeconds is <= 0 or > 60)
        {
            throw new InvalidOperationException("Cluster:HeartbeatSeconds must be in (0, 60].");
        }

        if (RecordTtlSeconds < 2 * HeartbeatSeconds)
        {
            throw new InvalidOperationException("Cluster:RecordTtlSeconds must be at least twice Cluster:HeartbeatSeconds.");
        }

        if (DrainDeadlineSeconds is < 0 or > 86_400)
        {
            throw new InvalidOperationException("Cluster:DrainDeadlineSeconds must be 0-86400.");
        }

        if (AdvertisedHttpUrl is not null && !Uri.TryCreate(AdvertisedHttpUrl, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException("Cluster:AdvertisedHttpUrl must be an absolute URL.");
        }
    }
}
