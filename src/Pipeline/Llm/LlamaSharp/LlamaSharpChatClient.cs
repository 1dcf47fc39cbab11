using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using LLama;
using LLama.Common;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm.LlamaSharp;

/// <summary>
/// A chat client over a local GGUF model (<c>Kind: "llamasharp"</c>). Each request gets its own llama.cpp
/// context from a <see cref="StatelessExecutor"/> over the provider's shared weights; tokens are generated on a
/// thread-pool task, never on the caller's (audio) thread, and handed over through a channel as they come.
/// Cancelling the token stops generation between two tokens and frees the context. Tools are not offered to
/// the model: a GGUF's tool-call format varies by family, and a wrong guess would be spoken aloud.
/// </summary>
internal sealed class LlamaSharpChatClient(LlamaSharpModel model, string provider, string modelId, int maxOutputTokens) : IChatClient
{
    /// <summary>Default answer length in tokens: about a minute of speech.</summary>
    public const int DefaultMaxOutputTokens = 256;

    private readonly ChatClientMetadata _metadata = new("llamasharp", null, modelId);

    /// <summary>The provider's model, shared by all its ids.</summary>
    internal LlamaSharpModel Model => model;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        LLamaWeights weights;
        try
        {
            weights = await model.GetWeightsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw ChatProviderException.Create(provider, ChatProviderErrorKind.Unavailable, null, null,
                $"the model file '{Path.GetFileName(model.ModelPath)}' could not be loaded ({e.GetType().Name}: {e.Message})", e);
        }

        string prompt = LlamaPrompt.Format(weights, messages);
        int inputTokens = weights.Tokenize(prompt, true, true, Encoding.UTF8).Length;
        uint context = model.ContextParameters.ContextSize ?? (uint)weights.ContextSize;
        if (inputTokens >= context)
        {
            throw ChatProviderException.Create(provider, ChatProviderErrorKind.BadRequest, null, null,
                $"the conversation ({inputTokens} tokens) does not fit the model's context of {context} tokens", null);
        }

        int maxTokens = Math.Min(options?.MaxOutputTokens ?? maxOutputTokens, (int)context - inputTokens);
        var filter = LlamaPrompt.HasTemplate(weights) ? null : new StopSequenceFilter(LlamaPrompt.StopSequences);
        var tokens = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => GenerateAsync(weights, prompt, maxTokens, options, tokens.Writer, stop.Token), CancellationToken.None);
        string responseId = "llama-" + Guid.NewGuid().ToString("N")[..16];
        var created = DateTimeOffset.UtcNow;
        int outputTokens = 0;
        try
        {
            await foreach (var piece in tokens.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Tokens already queued are not handed out after a cancel: the caller stopped listening.
                cancellationToken.ThrowIfCancellationRequested();
                outputTokens++;
                var visible = filter is null ? piece : filter.Append(piece);
                if (visible.Length > 0) yield return Update(visible);
                if (filter is { Stopped: true }) break;
            }

            if (filter?.Flush() is { Length: > 0 } rest) yield return Update(rest);
            bool truncated = filter is not { Stopped: true } && outputTokens >= maxTokens;
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails
            {
                InputTokenCount = inputTokens,
                OutputTokenCount = outputTokens,
                TotalTokenCount = inputTokens + outputTokens,
            })])
            {
                ResponseId = responseId,
                ModelId = modelId,
                CreatedAt = created,
                FinishReason = truncated ? ChatFinishReason.Length : ChatFinishReason.Stop,
            };
        }
        finally
        {
            // Stop generating (the caller cancelled, hit a stop sequence or stopped reading) and wait for the
            // producer, so the context is freed before the next request allocates its own.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        ChatResponseUpdate Update(string text) => new(ChatRole.Assistant, text)
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = modelId,
            CreatedAt = created,
        };
    }

    private async Task GenerateAsync(LLamaWeights weights, string prompt, int maxTokens, ChatOptions? options, ChannelWriter<string> tokens, CancellationToken cancellationToken)
    {
        try
        {
            var executor = new StatelessExecutor(weights, model.ContextParameters);
            var inference = new InferenceParams
            {
                MaxTokens = maxTokens,
                SamplingPipeline = new DefaultSamplingPipeline
                {
                    Temperature = options?.Temperature ?? 0.7f,
                    TopP = options?.TopP ?? 0.95f,
                    Seed = options?.Seed is long seed ? unchecked((uint)seed) : (uint)Random.Shared.Next(),
                },
            };
            await foreach (var piece in executor.InferAsync(prompt, inference, cancellationToken).ConfigureAwait(false))
            {
                if (piece.Length > 0) await tokens.WriteAsync(piece, cancellationToken).ConfigureAwait(false);
            }

            tokens.TryComplete();
        }
        catch (OperationCanceledException e)
        {
            tokens.TryComplete(e);
        }
        catch (Exception e)
        {
            tokens.TryComplete(ChatProviderException.Create(provider, ChatProviderErrorKind.ServerError, null, null, $"generation failed ({e.GetType().Name}: {e.Message})", e));
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
        : null;

    public void Dispose()
    {
        // The model belongs to the provider, which disposes it.
    }
}
