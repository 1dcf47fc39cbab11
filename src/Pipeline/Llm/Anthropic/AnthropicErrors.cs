using Anthropic.Exceptions;
using Anthropic.Models;

namespace MediaServer.Pipeline.Llm.Anthropic;

/// <summary>
/// Maps the Anthropic SDK's exceptions to <see cref="ChatProviderException"/>. HTTP error statuses normally
/// never reach here (<see cref="AnthropicStatusHandler"/> turns them into provider errors first, with the
/// <c>retry-after</c> header that the SDK's exceptions drop); what is left are <c>error</c> events in the
/// middle of a stream and I/O failures.
/// </summary>
internal static class AnthropicErrors
{
    public static ChatProviderException? Classify(Exception e, string provider, bool started) => e switch
    {
        // An SSE "error" event after a 200: https://docs.anthropic.com/en/api/messages-streaming#error-events
        AnthropicSseException sse => ChatProviderException.Create(provider, KindOf(sse.Type), null, null, ProviderErrorBody.Clip(sse.ApiMessage), sse),
        AnthropicApiException api => ChatProviderException.Create(provider, ChatProviderException.KindOf((int)api.StatusCode), (int)api.StatusCode, null,
            ProviderErrorBody.Clip(api.ApiMessage) ?? ProviderErrorBody.Message(api.ResponseBody), api),
        AnthropicIOException io => ChatProviderException.Create(provider, started ? ChatProviderErrorKind.StreamInterrupted : ChatProviderErrorKind.Unavailable,
            null, null, ProviderErrorBody.Clip(io.InnerException?.Message ?? io.Message), io),
        _ => null,
    };

    /// <summary>Anthropic's error types (https://docs.anthropic.com/en/api/errors) as kinds.</summary>
    private static ChatProviderErrorKind KindOf(global::Anthropic.Core.ApiEnum<string, ErrorType>? type) => TryValue(type) switch
    {
        ErrorType.RateLimitError => ChatProviderErrorKind.RateLimited,
        ErrorType.OverloadedError => ChatProviderErrorKind.Overloaded,
        ErrorType.TimeoutError => ChatProviderErrorKind.Timeout,
        ErrorType.AuthenticationError or ErrorType.PermissionError or ErrorType.BillingError => ChatProviderErrorKind.Unauthorized,
        ErrorType.NotFoundError => ChatProviderErrorKind.NotFound,
        ErrorType.InvalidRequestError => ChatProviderErrorKind.BadRequest,
        _ => ChatProviderErrorKind.ServerError,
    };

    /// <summary>The known error type, or null for one this SDK version has no name for.</summary>
    private static ErrorType? TryValue(global::Anthropic.Core.ApiEnum<string, ErrorType>? type)
    {
        try
        {
            return type?.Value();
        }
        catch (global::Anthropic.Exceptions.AnthropicInvalidDataException)
        {
            return null;
        }
    }
}
