using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm.Offline;

/// <summary>
/// The default "model": a deterministic, rule-based responder that needs no network and no model file. It is not
/// a language model and says so when asked; it exists so a conversation, tool calls and expressive tags work
/// end to end on a machine with nothing installed. The rules are in <see cref="OfflineRules"/>. Usage counts
/// whitespace-separated words as tokens; <see cref="ChatOptions.MaxOutputTokens"/> truncates the answer to that
/// many words with <see cref="ChatFinishReason.Length"/>. Streaming sends one update per word. Thread-safe.
/// </summary>
public sealed class OfflineResponderChatClient(TimeProvider? timeProvider = null) : IChatClient
{
    public const string ModelId = "offline";

    private static readonly ChatClientMetadata Metadata = new("offline", null, ModelId);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var plan = Plan(messages, options);
        var message = new ChatMessage(ChatRole.Assistant, plan.Contents) { MessageId = plan.MessageId };
        return Task.FromResult(new ChatResponse(message)
        {
            ResponseId = plan.ResponseId,
            ModelId = ModelId,
            CreatedAt = plan.CreatedAt,
            FinishReason = plan.FinishReason,
            Usage = plan.Usage,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var plan = Plan(messages, options);
        if (plan.Call is not null)
        {
            yield return Update(plan, [plan.Call]);
        }
        else
        {
            for (var i = 0; i < plan.Words.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Update(plan, [new TextContent(plan.Words[i])]);
                await Task.Yield(); // let a barge-in cancel between words
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var last = Update(plan, [new UsageContent(plan.Usage)]);
        last.FinishReason = plan.FinishReason;
        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return Metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    /// <param name="Words">The answer's words, each with the whitespace before it.</param>
    private sealed record Planned(
        string ResponseId, string MessageId, DateTimeOffset CreatedAt, List<string> Words, FunctionCallContent? Call,
        ChatFinishReason FinishReason, UsageDetails Usage)
    {
        public IList<AIContent> Contents => Call is not null ? [Call] : [new TextContent(string.Concat(Words))];
    }

    private Planned Plan(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var reply = OfflineRules.Decide(list, options, _time);

        // Each word keeps the whitespace before it, so the words concatenate back to exactly the planned text.
        var words = OfflineText.WordsWithSpacing(reply.Text.Trim());
        var finish = reply.Call is not null ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop;
        if (reply.Call is null && options?.MaxOutputTokens is { } max && words.Count > Math.Max(0, max))
        {
            words = words.Take(Math.Max(0, max)).ToList();
            finish = ChatFinishReason.Length;
        }

        var input = OfflineText.CountTokens(options?.Instructions) + list.Sum(CountTokens);
        var output = reply.Call is not null
            ? OfflineText.CountTokens(reply.Call.Name) + (reply.Call.Arguments?.Values.Sum(v => OfflineText.CountTokens(v?.ToString())) ?? 0)
            : words.Count;
        var usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
        var id = Guid.NewGuid().ToString("N");
        return new Planned("resp_" + id[..24], "msg_" + id[8..], _time.GetUtcNow(), words, reply.Call, finish, usage);
    }

    private static int CountTokens(ChatMessage message) => message.Contents.Sum(c => c switch
    {
        TextContent t => OfflineText.CountTokens(t.Text),
        FunctionResultContent r => OfflineText.CountTokens(r.Result?.ToString()),
        FunctionCallContent f => OfflineText.CountTokens(f.Name),
        _ => 0,
    });

    private static ChatResponseUpdate Update(Planned plan, IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ResponseId = plan.ResponseId,
        MessageId = plan.MessageId,
        ModelId = ModelId,
        CreatedAt = plan.CreatedAt,
    };
}
