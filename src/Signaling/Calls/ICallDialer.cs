namespace MediaServer.Signaling.Calls;

/// <summary>Places outbound calls through the trunk (implemented by the SIP bridge).</summary>
public interface ICallDialer
{
    /// <summary>Dials <paramref name="targetUri"/> and completes when the far end answers; throws <see cref="CallDialException"/> otherwise.</summary>
    Task<ICallControl> DialAsync(string targetUri, CancellationToken cancellationToken);
}

/// <summary>An outbound call that was not answered, with the far end's final status.</summary>
public sealed class CallDialException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
