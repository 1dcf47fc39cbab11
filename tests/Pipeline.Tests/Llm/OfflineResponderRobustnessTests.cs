using System.Text;
using System.Text.Json;
using MediaServer.Pipeline.Llm.Offline;
using MediaServer.Pipeline.Tts;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Tests.Llm;

/// <summary>
/// User text (from STT or a client) and tool schemas (from a client's <c>session.update</c>) are untrusted: seeded
/// random inputs must never make the responder or the sentence splitter throw.
/// </summary>
public sealed class OfflineResponderRobustnessTests
{
    private static readonly string[] Fragments =
    [
        "weather", " in ", "for", "about", "London", "?", ".", "!", "Say:", "\n", "get_", "time", "what", " ", "Dr.", "3.5",
        "[laugh]", "<b>", "&", "\"", "é", "😀", "\0", "\t", "-", "call", "bye", "who are you", "12", "-7", "in", "",
    ];

    private static readonly string[] Schemas =
    [
        """{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}""",
        """{"type":"object","properties":{"n":{"type":"integer"},"x":{"type":"number"}},"required":["n","x"]}""",
        """{"type":"object","properties":{"e":{"type":"string","enum":[]}},"required":["e"]}""",
        """{"type":"object","properties":{"e":{"enum":[1,2,null]}},"required":["e",3,null]}""",
        """{"type":"object","properties":[],"required":{}}""",
        """{"type":"object","properties":{"a":true,"b":null,"c":5},"required":["a","b","c","missing"]}""",
        """{"properties":{"a":{"type":["string","null"]}},"required":["a"]}""",
        """[]""",
        "\"just a string\"",
        """{}""",
    ];

    [Fact]
    public async Task Random_text_and_schemas_never_throw()
    {
        var random = new Random(20260314);
        var client = new OfflineResponderChatClient();
        for (var round = 0; round < 2000; round++)
        {
            var text = RandomText(random);
            var tools = Enumerable.Range(0, random.Next(0, 3))
                .Select(i => (AITool)AIFunctionFactory.CreateDeclaration(RandomText(random) is { Length: > 0 } n ? n : "x", null,
                    JsonDocument.Parse(Schemas[random.Next(Schemas.Length)]).RootElement))
                .ToList();
            var options = new ChatOptions
            {
                Tools = tools,
                Instructions = random.Next(4) == 0 ? RandomText(random) : null,
                MaxOutputTokens = random.Next(3) == 0 ? random.Next(-1, 5) : null,
                ToolMode = random.Next(4) switch { 0 => ChatToolMode.None, 1 => ChatToolMode.RequireAny, 2 => ChatToolMode.RequireSpecific("x"), _ => null },
            };
            var history = new List<ChatMessage> { new(ChatRole.User, text) };
            if (random.Next(3) == 0)
            {
                history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_x", random.Next(3) switch
                {
                    0 => RandomText(random),
                    1 => JsonDocument.Parse(Schemas[random.Next(Schemas.Length)]).RootElement,
                    _ => null,
                })]));
            }

            var response = await client.GetResponseAsync(history, options);
            Assert.NotNull(response.Messages.Single());
            SentenceSplitter.Split(text);
        }
    }

    [Fact]
    public void Sentence_splitting_keeps_every_letter_and_digit()
    {
        var random = new Random(7);
        for (var round = 0; round < 2000; round++)
        {
            var text = RandomText(random);
            var kept = string.Concat(SentenceSplitter.Split(text)).Where(char.IsLetterOrDigit);
            Assert.Equal(text.Where(char.IsLetterOrDigit), kept);
        }
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        var n = random.Next(0, 40);
        for (var i = 0; i < n; i++) text.Append(Fragments[random.Next(Fragments.Length)]);
        if (random.Next(10) == 0) text.Append(new string('a', random.Next(200, 600)));
        return text.ToString();
    }
}
