namespace MediaServer.Signaling.Cluster;

/// <summary>This node's identity in the cluster: its id and the URL peers forward its requests to.</summary>
public sealed record ClusterSelf(string NodeId, string HttpUrl);
