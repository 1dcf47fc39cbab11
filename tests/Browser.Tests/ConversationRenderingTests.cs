using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaServer.Browser.Tests;

/// <summary>
/// The conversation view's rendering of what the embedded engines do not produce yet (voice profiles, steering and
/// non-verbal tags, tool calls, latency breakdowns): the page's own module is fed server events of the documented
/// shapes (REALTIME-PROTOCOL.md §5.3, §6) in Chromium, and the DOM is checked.
/// </summary>
public sealed class ConversationRenderingTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const string Feed = """
        async () => {
          const { ConversationView } = await import('/js/conversation.js');
          const view = new ConversationView(document.getElementById('turns'), document.getElementById('turns-empty'));
          const events = [
            { type: 'input_audio_buffer.speech_started', item_id: 'item_u1', audio_start_ms: 100 },
            { type: 'conversation.item.input_audio_transcription.delta', item_id: 'item_u1', delta: 'What is the weather ' },
            { type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_u1', transcript: 'What is the weather in Paris <img src=x onerror="window.pwned=1">',
              providerData: { voiceProfile: {
                emotion: [{ label: 'happy', confidence: 0.82 }, { label: 'calm', confidence: 0.11 }],
                pitch: [{ label: 'high', confidence: 0.7 }],
                accent: [{ label: 'unknown', confidence: 0 }] } } },
            { type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } },
            { type: 'response.output_item.added', response_id: 'resp_1', output_index: 0,
              item: { id: 'item_f1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '' } },
            { type: 'response.function_call_arguments.delta', response_id: 'resp_1', item_id: 'item_f1', call_id: 'call_1', delta: '{"city":"Par' },
            { type: 'response.function_call_arguments.delta', response_id: 'resp_1', item_id: 'item_f1', call_id: 'call_1', delta: 'is"}' },
            { type: 'response.function_call_arguments.done', response_id: 'resp_1', item_id: 'item_f1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'response.done', response: { id: 'resp_1', status: 'completed', output: [{ id: 'item_f1', type: 'function_call' }] } },
            { type: 'conversation.item.added', item: { id: 'item_o1', type: 'function_call_output', call_id: 'call_1', output: '{"temp_c":21,"sky":"clear"}' } },
            { type: 'response.created', response: { id: 'resp_2', status: 'in_progress', output: [] } },
            { type: 'response.output_audio_transcript.delta', response_id: 'resp_2', item_id: 'item_a1', delta: '[laugh] It is sunny' },
            { type: 'response.output_audio_transcript.done', response_id: 'resp_2', item_id: 'item_a1', transcript: '[laugh] It is sunny in Paris, [whisper] twenty one degrees.' },
            { type: 'response.done', response: { id: 'resp_2', status: 'completed', output: [{ id: 'item_a1' }],
              latency: { end_of_speech_to_transcript_ms: 180, transcript_to_first_token_ms: 220, first_token_to_first_audio_ms: 140, first_audio_to_first_packet_ms: 12 } } },
            { type: 'response.created', response: { id: 'resp_3', status: 'in_progress', output: [] } },
            { type: 'response.output_audio_transcript.delta', response_id: 'resp_3', item_id: 'item_a2', delta: 'Anything else I can' },
            { type: 'response.done', response: { id: 'resp_3', status: 'cancelled', status_details: { type: 'cancelled', reason: 'turn_detected' }, output: [{ id: 'item_a2' }] } },
          ];
          for (const e of events) view.handle(e);
        }
        """;

    [Fact]
    public async Task Profiles_tags_tool_calls_latency_and_interruptions_render_from_events()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync(microphoneWav: null);
        await browser.OpenAsync(fixture.Server);
        var page = browser.Page;
        await page.EvaluateAsync(Feed);

        // The user's turn: text as text (markup in a transcript is never interpreted), and one chip per label.
        var user = page.Locator("#turns .turn.user");
        await Assertions.Expect(user.Locator(".text")).ToContainTextAsync("<img src=x");
        Assert.Equal(0, await page.Locator("#turns img").CountAsync());
        Assert.Null(await page.EvaluateAsync<object?>("() => window.pwned"));
        var chips = user.Locator(".profile .chip");
        await Assertions.Expect(chips).ToHaveCountAsync(4);
        await Assertions.Expect(chips.Nth(0)).ToHaveTextAsync("emotion happy 82%");
        await Assertions.Expect(chips.Filter(new() { HasText = "pitch" })).ToHaveTextAsync("pitch high 70%");
        await Assertions.Expect(chips.Filter(new() { HasText = "accent" })).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bunknown\b"));

        // The tool call: name, pretty-printed arguments, then its result.
        var tool = page.Locator("#turns .turn.tool");
        await Assertions.Expect(tool.Locator(".tool-name")).ToHaveTextAsync("get_weather");
        await Assertions.Expect(tool.Locator(".tool-args")).ToHaveTextAsync("{\n  \"city\": \"Paris\"\n}");
        await Assertions.Expect(tool.Locator(".tool-result")).ToContainTextAsync("\"temp_c\": 21");

        // The agent's answer: tags styled apart from the spoken words, and the latency broken into its parts.
        var agent = page.Locator("#turns .turn.agent").First;
        await Assertions.Expect(agent.Locator(".tag")).ToHaveTextAsync(["laugh", "whisper"]);
        await Assertions.Expect(agent.Locator(".text")).ToHaveTextAsync("laugh It is sunny in Paris, whisper twenty one degrees.");
        await Assertions.Expect(agent.Locator(".latency-title")).ToHaveTextAsync("Latency 552 ms");
        await Assertions.Expect(agent.Locator(".latency-parts li")).ToHaveTextAsync(
            ["end of speech to transcript 180 ms", "transcript to first token 220 ms", "first token to first audio 140 ms", "first audio to first packet 12 ms"]);

        // A response cut by barge-in is marked as interrupted.
        var cut = page.Locator("#turns .turn.agent").Nth(1);
        await Assertions.Expect(cut).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\binterrupted\b"));
        await Assertions.Expect(cut.Locator(".turn-state")).ToHaveTextAsync("interrupted");

        await Axe.AssertNoSeriousViolationsAsync(page, output, "rich conversation");
        await browser.ScreenshotAsync("10-rich-conversation");
    }
}
