using System.Globalization;

namespace MediaServer.Pipeline.Llm;

/// <summary>What went wrong with a provider call, in terms a caller can act on.</summary>
public enum ChatProviderErrorKind
{
    /// <summary>No response came back: connection refused, DNS, TLS.</summary>
    Unavailable,

    /// <summary>408, or the request ran past its network timeout.</summary>
    Timeout,

    /// <summary>429: the provider's rate limit; see <see cref="ChatProviderException.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>503, Anthropic's 529 or an <c>overloaded_error</c> event: the provider sheds load.</summary>
    Overloaded,

    /// <summary>Other 5xx, or an error event in the middle of a stream.</summary>
    ServerError,

    /// <summary>The answer had started streaming and the connection ended before the provider finished it.</summary>
    StreamInterrupted,

    /// <summary>401/403: the configured key is wrong or lacks access.</summary>
    Unauthorized,

    /// <summary>404: usually a model name the provider does not serve.</summary>
    NotFound,

    /// <summary>Other 4xx: the provider refused the request as sent.</summary>
    BadRequest,
}

/// <summary>
/// A chat provider failed. Says whether trying again can help: 408, 429 and 5xx and network failures are
/// retryable, other 4xx (bad key, unknown model, bad request) are final. <see cref="RetryAfter"/> carries the
/// server's <c>Retry-After</c> / <c>retry-after-ms</c> when it sent one. The message names the provider and,
/// when known, the status and the wait, so it can go to the client as it is.
/// </summary>
public sealed class ChatProviderException : Exception
{
    public ChatProviderException(string provider, int? statusCode, bool isRetryable, TimeSpan? retryAfter, string message, Exception? innerException)
        : this(provider, KindOf(statusCode), statusCode, isRetryable, retryAfter, message, innerException)
    {
    }

    private ChatProviderException(string provider, ChatProviderErrorKind kind, int? statusCode, bool isRetryable, TimeSpan? retryAfter, string message, Exception? innerException)
        : base(message, innerException)
    {
        Provider = provider;
        Kind = kind;
        StatusCode = statusCode;
        IsRetryable = isRetryable;
        RetryAfter = retryAfter;
    }

    /// <summary>The provider name from the model id.</summary>
    public string Provider { get; }

    public ChatProviderErrorKind Kind { get; }

    /// <summary>HTTP status, or null when no response came back (connection refused, timeout).</summary>
    public int? StatusCode { get; }

    public bool IsRetryable { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>A stable snake_case code for the Realtime <c>error</c> event (<c>rate_limit_exceeded</c>, ...).</summary>
    public string Code => Kind switch
    {
        ChatProviderErrorKind.RateLimited => "rate_limit_exceeded",
        ChatProviderErrorKind.Overloaded => "provider_overloaded",
        ChatProviderErrorKind.Timeout => "provider_timeout",
        ChatProviderErrorKind.Unavailable => "provider_unavailable",
        ChatProviderErrorKind.StreamInterrupted => "provider_stream_interrupted",
        ChatProviderErrorKind.Unauthorized => "provider_auth_failed",
        ChatProviderErrorKind.NotFound => "provider_model_not_found",
        ChatProviderErrorKind.BadRequest => "provider_bad_request",
        _ => "provider_error",
    };

    /// <summary>Retryable statuses: 408 Request Timeout, 429 Too Many Requests and every 5xx.</summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or >= 500;

    /// <summary>The kind an HTTP status means; null (no response) is <see cref="ChatProviderErrorKind.Unavailable"/>.</summary>
    public static ChatProviderErrorKind KindOf(int? status) => status switch
    {
        null => ChatProviderErrorKind.Unavailable,
        401 or 403 => ChatProviderErrorKind.Unauthorized,
        404 => ChatProviderErrorKind.NotFound,
        408 => ChatProviderErrorKind.Timeout,
        429 => ChatProviderErrorKind.RateLimited,
        503 or 529 => ChatProviderErrorKind.Overloaded,
        >= 500 => ChatProviderErrorKind.ServerError,
        _ => ChatProviderErrorKind.BadRequest,
    };

    /// <summary>
    /// Builds the exception with a message a user can read: what happened at which provider, the HTTP status, how
    /// long to wait, then the provider's own words (<paramref name="detail"/>).
    /// </summary>
    public static ChatProviderException Create(string provider, ChatProviderErrorKind kind, int? statusCode, TimeSpan? retryAfter, string? detail, Exception? innerException)
    {
        string what = kind switch
        {
            ChatProviderErrorKind.RateLimited => "rate-limited the request",
            ChatProviderErrorKind.Overloaded => "is overloaded",
            ChatProviderErrorKind.Timeout => "timed out",
            ChatProviderErrorKind.Unavailable => "could not be reached",
            ChatProviderErrorKind.StreamInterrupted => "stopped in the middle of its answer",
            ChatProviderErrorKind.Unauthorized => "refused the configured API key",
            ChatProviderErrorKind.NotFound => "does not serve the requested model",
            ChatProviderErrorKind.BadRequest => "rejected the request",
            _ => "failed",
        };
        var message = $"LLM provider '{provider}' {what}";
        if (statusCode is int status) message += string.Create(CultureInfo.InvariantCulture, $" (HTTP {status})");
        if (retryAfter is TimeSpan wait) message += string.Create(CultureInfo.InvariantCulture, $"; retry after {Math.Ceiling(wait.TotalSeconds):0} s");
        if (!string.IsNullOrWhiteSpace(detail)) message += ": " + detail.Trim().TrimEnd('.');
        bool retryable = kind is ChatProviderErrorKind.Unavailable or ChatProviderErrorKind.Timeout or ChatProviderErrorKind.StreamInterrupted
            || (statusCode is int s ? IsRetryableStatus(s) : kind is ChatProviderErrorKind.RateLimited or ChatProviderErrorKind.Overloaded or ChatProviderErrorKind.ServerError);
        return new ChatProviderException(provider, kind, statusCode, retryable, retryAfter, message + ".", innerException);
    }
}
