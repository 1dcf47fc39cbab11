namespace MediaServer.Signaling.Calls;

/// <summary>Configuration section <c>MediaServer:Calls</c>: what happens when a call arrives.</summary>
public sealed class CallOptions
{
    /// <summary>
    /// URL that receives a signed <c>realtime.call.incoming</c> webhook for every incoming SIP call; the application
    /// then accepts, rejects or transfers it. Null (the default): calls are accepted at once with the default session.
    /// </summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Standard Webhooks signing secret (<c>whsec_</c> + base64). Null: webhooks are sent unsigned.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How long an incoming call waits for the application's accept before it is declined.</summary>
    public int AcceptTimeoutSeconds { get; set; } = 30;
}
