namespace MediaServer.Signaling.Calls;

/// <summary>
/// Signalling control of one call, whatever its transport: what the <c>/v1/realtime/calls/{call_id}/…</c> endpoints
/// do to it. A SIP call answers, rejects, transfers with REFER and hangs up with BYE; a WebRTC call is already
/// answered and only hangs up.
/// </summary>
public interface ICallControl
{
    /// <summary>The Realtime call id (<c>rtc_…</c>).</summary>
    string CallId { get; }

    /// <summary>The call's media.</summary>
    ICallMediaLeg Media { get; }

    /// <summary>SIP headers of the incoming INVITE, in order (empty for WebRTC).</summary>
    IReadOnlyList<KeyValuePair<string, string>> SipHeaders { get; }

    /// <summary>Answers the call (SIP 200 OK). Idempotent for a call already answered.</summary>
    Task AcceptAsync(CancellationToken cancellationToken);

    /// <summary>Refuses a call not yet answered with a SIP status (default 603 Decline).</summary>
    void Reject(int statusCode);

    /// <summary>Blind transfer to <paramref name="targetUri"/>; returns the final status the transferee reported.</summary>
    Task<int> ReferAsync(string targetUri, CancellationToken cancellationToken);

    /// <summary>Completes when the call has ended, with the reason.</summary>
    Task<string> Completion { get; }
}
