using MediaServer.Pipeline.Llm;
using MediaServer.Pipeline.Llm.LlamaSharp;
using MediaServer.Pipeline.Tests.Audio;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace MediaServer.Pipeline.Tests.Llm;

/// <summary>
/// The <c>llamasharp</c> kind on a real GGUF file: stories260K, a 1.2 MB llama2.c TinyStories model. It writes
/// short children's stories, not answers, so the tests assert streaming, completion, limits and cancellation,
/// never the words.
/// </summary>
public sealed class LlamaSharpChatClientTests : IDisposable
{
    private static string ModelPath => Path.Combine(TestAudio.SharedModels, "stories260k", "stories260K.gguf");

    private readonly ChatClientProvider _provider = new(new LlmOptions
    {
        Providers = { ["local"] = new ProviderOptions { Kind = "llamasharp", ModelPath = ModelPath, MaxOutputTokens = 40 } },
    });

    public void Dispose() => _provider.Dispose();

    private static List<ChatMessage> Prompt(string text) => [new ChatMessage(ChatRole.System, "Tell a story."), new ChatMessage(ChatRole.User, text)];

    [Fact]
    public async Task Tokens_stream_one_by_one_and_the_response_completes_with_usage()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _provider.Resolve("local/stories").GetStreamingResponseAsync(Prompt("Once upon a time"), new ChatOptions { Seed = 7 }))
        {
            updates.Add(u);
        }

        var texts = updates.Where(u => u.Text.Length > 0).ToList();
        Assert.True(texts.Count >= 3, $"expected several streamed pieces, got {texts.Count}");
        Assert.Contains(texts, t => t.Text.Any(char.IsLetter));
        var last = updates[^1];
        Assert.NotNull(last.FinishReason);
        var usage = Assert.Single(last.Contents.OfType<UsageContent>()).Details;
        Assert.True(usage.InputTokenCount > 5);
        Assert.InRange(usage.OutputTokenCount!.Value, 1, 40);
        Assert.All(updates, u => Assert.Equal("stories", u.ModelId));
    }

    [Fact]
    public async Task Max_output_tokens_bounds_the_answer_and_reports_length()
    {
        var response = await _provider.Resolve("local/stories").GetResponseAsync(Prompt("Once upon a time"), new ChatOptions { MaxOutputTokens = 5, Seed = 3 });

        // The story model rarely stops within five tokens; if it stops by itself the finish is Stop and shorter.
        Assert.InRange(response.Usage!.OutputTokenCount!.Value, 1, 5);
        if (response.Usage.OutputTokenCount == 5) Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task Cancellation_stops_generation_and_the_next_request_still_runs()
    {
        using var cts = new CancellationTokenSource();
        int pieces = 0;
        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var u in _provider.Resolve("local/stories").GetStreamingResponseAsync(Prompt("Once upon a time"), new ChatOptions { MaxOutputTokens = 200 }, cts.Token))
            {
                if (u.Text.Length > 0 && ++pieces == 2) await cts.CancelAsync();
            }
        });

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(2, pieces);
        var again = await _provider.Resolve("local/stories").GetResponseAsync(Prompt("The dog"), new ChatOptions { MaxOutputTokens = 8 });
        Assert.NotEmpty(again.Text);
    }

    [Fact]
    public async Task Requests_in_parallel_each_get_their_own_context()
    {
        var client = _provider.Resolve("local/stories");
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            client.GetResponseAsync(Prompt("Once upon a time"), new ChatOptions { MaxOutputTokens = 12, Seed = i })));
        Assert.All(answers, a => Assert.InRange(a.Usage!.OutputTokenCount!.Value, 1, 12));
    }

    [Fact]
    public void Ids_of_one_provider_share_one_loaded_model()
    {
        var a = Assert.IsType<LlamaSharpChatClient>(_provider.Resolve("local/a"));
        var b = Assert.IsType<LlamaSharpChatClient>(_provider.Resolve("local/b"));
        Assert.NotSame(a, b);
        Assert.Same(a.Model, b.Model);
    }

    [Fact]
    public async Task A_file_that_is_not_a_gguf_fails_the_request_as_unavailable_not_the_process()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.gguf");
        await File.WriteAllTextAsync(path, "this is not a GGUF file");
        try
        {
            using var provider = new ChatClientProvider(new LlmOptions
            {
                Providers = { ["bad"] = new ProviderOptions { Kind = "llamasharp", ModelPath = path } },
            });
            var error = await Assert.ThrowsAsync<ChatProviderException>(() => provider.Resolve("bad/x").GetResponseAsync("hi"));
            Assert.Equal(ChatProviderErrorKind.Unavailable, error.Kind);
            Assert.Contains("could not be loaded", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_model_path_fails_at_construction()
    {
        Assert.Throws<OptionsValidationException>(() => new ChatClientProvider(new LlmOptions
        {
            Providers = { ["x"] = new ProviderOptions { Kind = "llamasharp" } },
        }));
        Assert.Throws<OptionsValidationException>(() => new ChatClientProvider(new LlmOptions
        {
            Providers = { ["x"] = new ProviderOptions { Kind = "llamasharp", ModelPath = "/nonexistent/model.gguf" } },
        }));
    }

    [Fact]
    public void Without_a_chat_template_the_prompt_is_a_transcript_ending_in_the_assistant_turn()
    {
        var text = LlamaPrompt.Transcript([
            new ChatMessage(ChatRole.System, "Be kind."),
            new ChatMessage(ChatRole.User, "Hi"),
            new ChatMessage(ChatRole.Assistant, "Hello!"),
            new ChatMessage(ChatRole.User, "Tell me a story."),
        ]);
        Assert.Equal("System: Be kind.\nUser: Hi\nAssistant: Hello!\nUser: Tell me a story.\nAssistant:", text);
    }
}
