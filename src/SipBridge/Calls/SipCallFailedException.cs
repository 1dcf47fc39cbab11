namespace MediaServer.SipBridge.Calls;

/// <summary>An outbound call ended with a final non-2xx status (or timed out: 408).</summary>
public sealed class SipCallFailedException : Exception
{
    public SipCallFailedException(int statusCode)
        : base("The call failed with SIP status " + statusCode + ".") => StatusCode = statusCode;

    public SipCallFailedException()
    {
    }

    public SipCallFailedException(string message)
        : base(message)
    {
    }

    public SipCallFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Final status code.</summary>
    public int StatusCode { get; }

    /// <summary>Worth retrying later: 408, 480, 486, 503 (RFC 3261 §21 semantics).</summary>
    public bool IsRetryable => StatusCode is 408 or 480 or 486 or 503;
}
