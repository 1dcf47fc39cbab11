namespace MediaServer.SipBridge.Registration;

/// <summary>How to register with a trunk's registrar (RFC 3261 §10).</summary>
public sealed class SipRegistrationOptions
{
    /// <summary>Registrar URI, for example <c>sip:127.0.0.1:5080</c> (IP literal; add <c>;transport=tcp</c> for TCP).</summary>
    public required string Registrar { get; init; }

    /// <summary>User part of the address-of-record and the digest username.</summary>
    public required string Username { get; init; }

    /// <summary>Digest password (null: the registrar is not expected to challenge).</summary>
    public string? Password { get; init; }

    /// <summary>Domain of the address-of-record; default the registrar's host.</summary>
    public string? Domain { get; init; }

    /// <summary>Requested binding lifetime. Default 3600 s (RFC 3261 §10.2.1.1 suggests one hour).</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>
    /// When to refresh a binding granted for <paramref name="granted"/>: 30 s early for long bindings, half way
    /// for short ones, so a lost REGISTER still has time to be retransmitted (timer F is 32 s).
    /// </summary>
    public static TimeSpan RefreshAfter(TimeSpan granted) =>
        granted > TimeSpan.FromSeconds(120) ? granted - TimeSpan.FromSeconds(30) : granted / 2;
}
