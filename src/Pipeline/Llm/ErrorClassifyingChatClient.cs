using System.ClientModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm;

/// <summary>
/// Turns a provider SDK's failures (<see cref="ClientResultException"/>, <see cref="HttpRequestException"/>,
/// timeouts) into <see cref="ChatProviderException"/>, so callers decide on retry without knowing the SDK.
/// Cancellation by the caller passes through unchanged.
/// </summary>
internal sealed class ErrorClassifyingChatClient(IChatClient inner, string provider) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e, cancellationToken) is { } classified)
        {
            throw classified;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false)) yield break;
                    update = updates.Current;
                }
                catch (Exception e) when (Classify(e, cancellationToken) is { } classified)
                {
                    throw classified;
                }

                yield return update;
            }
        }
    }

    private ChatProviderException? Classify(Exception e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case ClientResultException result:
                var status = result.Status == 0 ? (int?)null : result.Status;
                return new ChatProviderException(provider, status, status is null || ChatProviderException.IsRetryableStatus(status.Value),
                    RetryAfter(result), $"Provider '{provider}' failed with HTTP {result.Status}: {result.Message}", result);
            case HttpRequestException http:
                var code = (int?)http.StatusCode;
                return new ChatProviderException(provider, code, code is null || ChatProviderException.IsRetryableStatus(code.Value), null,
                    $"Provider '{provider}' could not be reached: {http.Message}", http);
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                return new ChatProviderException(provider, null, true, null, $"Provider '{provider}' timed out.", e);
            default:
                return null;
        }
    }

    private static TimeSpan? RetryAfter(ClientResultException e)
    {
        var headers = e.GetRawResponse()?.Headers;
        if (headers is null) return null;
        if (headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
            return TimeSpan.FromMilliseconds(milliseconds);
        if (!headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value)) return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        // RFC 9110 section 10.2.3: Retry-After may also be an HTTP-date.
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? (date - DateTimeOffset.UtcNow) is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }
}
