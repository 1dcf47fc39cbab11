using System.ClientModel;
using System.Runtime.CompilerServices;
using MediaServer.Pipeline.Llm.Anthropic;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm;

/// <summary>
/// Turns a provider SDK's failures (<see cref="ClientResultException"/>, the Anthropic SDK's exceptions,
/// <see cref="HttpRequestException"/>, a connection that drops mid-stream, timeouts) into
/// <see cref="ChatProviderException"/>, so callers decide on retry without knowing the SDK. Cancellation by the
/// caller passes through unchanged. Disposes <paramref name="owned"/> (the SDK client) with itself.
/// </summary>
internal sealed class ErrorClassifyingChatClient(IChatClient inner, string provider, IDisposable? owned = null) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e, started: false, cancellationToken) is { } classified)
        {
            throw classified;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        bool started = false;
        bool finished = false;
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false)) break;
                    update = updates.Current;
                }
                catch (Exception e) when (Classify(e, started, cancellationToken) is { } classified)
                {
                    throw classified;
                }

                started = true;
                finished |= update.FinishReason is not null;
                yield return update;
            }
        }

        // Both wire formats say when an answer is complete (a finish_reason, Anthropic's message_delta
        // stop_reason). A body that ends cleanly without one was cut short, by a proxy or a provider restart:
        // the caller must not take half an answer for a whole one.
        if (started && !finished)
        {
            throw ChatProviderException.Create(provider, ChatProviderErrorKind.StreamInterrupted, null, null,
                "the stream ended before the provider marked the answer finished", null);
        }
    }

    private ChatProviderException? Classify(Exception e, bool started, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case ChatProviderException:
                return null; // already classified below the SDK (AnthropicStatusHandler)
            case ClientResultException result:
                var response = result.GetRawResponse();
                var status = result.Status == 0 ? (int?)null : result.Status;
                if (status is null && started)
                    return ChatProviderException.Create(provider, ChatProviderErrorKind.StreamInterrupted, null, null, Detail(result.InnerException ?? result), result);
                return ChatProviderException.Create(provider, ChatProviderException.KindOf(status), status,
                    RetryAfterHeader.Parse(Header(response, "retry-after-ms"), Header(response, "Retry-After"), DateTimeOffset.UtcNow),
                    ProviderErrorBody.Message(SafeBody(response)) ?? Detail(result), result);
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException:
                return ChatProviderException.Create(provider, ChatProviderErrorKind.Timeout, null, null, null, e);
            default:
                if (AnthropicErrors.Classify(e, provider, started) is { } anthropic) return anthropic;
                if (e is HttpRequestException http)
                {
                    var code = (int?)http.StatusCode;
                    return ChatProviderException.Create(provider, started && code is null ? ChatProviderErrorKind.StreamInterrupted : ChatProviderException.KindOf(code),
                        code, null, Detail(http), http);
                }

                // A connection closed in the middle of an SSE body surfaces as an IOException (HttpIOException
                // "response ended prematurely") from the stream read, sometimes wrapped by the SDK.
                if (e is IOException || e.InnerException is IOException)
                {
                    return ChatProviderException.Create(provider, started ? ChatProviderErrorKind.StreamInterrupted : ChatProviderErrorKind.Unavailable,
                        null, null, Detail(e.InnerException as IOException ?? e), e);
                }

                return null;
        }
    }

    private static string? Detail(Exception e)
    {
        var line = e.Message.Split('\n', 2)[0].Trim();
        return ProviderErrorBody.Clip(line.Length == 0 ? null : line);
    }

    private static string? Header(System.ClientModel.Primitives.PipelineResponse? response, string name) =>
        response is not null && response.Headers.TryGetValue(name, out var value) ? value : null;

    private static string? SafeBody(System.ClientModel.Primitives.PipelineResponse? response)
    {
        try
        {
            return response?.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            return null; // a streamed body that was not buffered
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) owned?.Dispose();
        base.Dispose(disposing);
    }
}
