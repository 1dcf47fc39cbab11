using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Auth;

/// <summary>One ephemeral key: its starting session config, expiry, the API key it was issued to, and what it opened.</summary>
public sealed class ClientSecret(string value, DateTimeOffset expiresAt, SessionConfig session, string issuedToKey)
{
    private int _used;

    public string Value { get; } = value;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public SessionConfig Session { get; } = session;

    public string IssuedToKey { get; } = issuedToKey;

    /// <summary>The session or call this key opened, once it has (set right after the open succeeds).</summary>
    public string? OpenedId { get; private set; }

    /// <summary>True once a request has taken this key's single use.</summary>
    public bool Used => Volatile.Read(ref _used) != 0;

    /// <summary>Takes the key's one use; false when another request already took it (atomic, so two racing requests
    /// cannot both open a session with one key).</summary>
    public bool TryConsume() => Interlocked.Exchange(ref _used, 1) == 0;

    /// <summary>Records the session or call the key opened, which it may go on controlling.</summary>
    public void BindTo(string id) => OpenedId = id;
}
