using System.Collections.Concurrent;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Auth;

/// <summary>
/// Ephemeral <c>ek_</c> keys issued by <c>POST /v1/realtime/client_secrets</c>: each carries the session config it
/// was minted with and an expiry; sessions opened with it start from that config. A key opens one session or call
/// only (a leaked key cannot be replayed to open more), and afterwards still controls the call it opened until it
/// expires (the browser hangs up its own call with it). Expired keys are swept on issue.
/// </summary>
public sealed class ClientSecretStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ClientSecret> _secrets = new(StringComparer.Ordinal);

    /// <summary>Raised for each new key (the cluster registry records which node holds it, so requests follow it).</summary>
    public event Action<ClientSecret>? Issued;

    public ClientSecret Issue(SessionConfig session, int seconds, string issuedToKey)
    {
        Sweep();
        var secret = new ClientSecret(RealtimeIds.ClientSecret(), time.GetUtcNow().AddSeconds(seconds), session, issuedToKey);
        _secrets[secret.Value] = secret;
        Issued?.Invoke(secret);
        return secret;
    }

    /// <summary>Finds an unexpired key, used or not.</summary>
    public bool TryGet(string value, out ClientSecret secret)
    {
        if (_secrets.TryGetValue(value, out secret!) && secret.ExpiresAt > time.GetUtcNow())
        {
            return true;
        }

        secret = null!;
        return false;
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _secrets)
        {
            if (value.ExpiresAt <= now)
            {
                _secrets.TryRemove(key, out _);
            }
        }
    }
}
