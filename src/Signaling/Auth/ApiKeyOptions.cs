namespace MediaServer.Signaling.Auth;

/// <summary>Configuration section <c>MediaServer:Auth</c>.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>
    /// Standard API keys accepted as <c>Authorization: Bearer</c>. Empty (the default) accepts any key, and the
    /// host then refuses to listen on anything but loopback.
    /// </summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Default lifetime of an ephemeral client secret, in seconds (OpenAI: 600; range 10 to 7200).</summary>
    public int ClientSecretDefaultSeconds { get; set; } = 600;

    public bool Open => ApiKeys.Count == 0;
}
