using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Signaling.Cluster;

/// <summary>Turns secrets (API keys, ephemeral keys) into Redis key names that do not reveal them.</summary>
public static class ClusterKeys
{
    /// <summary>First 128 bits of SHA-256, hex: unique enough for names, useless for recovering the secret.</summary>
    public static string Hash(string secret)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), digest);
        return Convert.ToHexStringLower(digest[..16]);
    }
}
