namespace MediaServer.Pipeline.Llm;

/// <summary>
/// A chat provider failed. Says whether trying again can help: 408, 429 and 5xx and network failures are
/// retryable, other 4xx (bad key, unknown model, bad request) are final. <see cref="RetryAfter"/> carries the
/// server's <c>Retry-After</c> / <c>retry-after-ms</c> when it sent one.
/// </summary>
public sealed class ChatProviderException : Exception
{
    public ChatProviderException(string provider, int? statusCode, bool isRetryable, TimeSpan? retryAfter, string message, Exception? innerException)
        : base(message, innerException)
    {
        Provider = provider;
        StatusCode = statusCode;
        IsRetryable = isRetryable;
        RetryAfter = retryAfter;
    }

    /// <summary>The provider name from the model id.</summary>
    public string Provider { get; }

    /// <summary>HTTP status, or null when no response came back (connection refused, timeout).</summary>
    public int? StatusCode { get; }

    public bool IsRetryable { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>Retryable statuses: 408 Request Timeout, 429 Too Many Requests and every 5xx.</summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or >= 500;
}
