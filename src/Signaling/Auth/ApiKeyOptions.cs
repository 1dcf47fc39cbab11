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

    /// <summary>
    /// True (default): an ephemeral key opens one session or call, so a key leaked from a web page cannot be replayed.
    /// OpenAI lets one secret open any number of sessions until it expires; set false for that behaviour.
    /// </summary>
    public bool SingleUseClientSecrets { get; set; } = true;

    public bool Open => ApiKeys.Count == 0;
}
