using System.Text;
using LLama;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm.LlamaSharp;

/// <summary>
/// Turns a chat into the text a GGUF model continues. A model that carries a chat template
/// (<c>tokenizer.chat_template</c>, as instruction-tuned GGUFs do) gets it applied by llama.cpp; a base model
/// without one gets a plain transcript ending in <c>Assistant:</c>, and generation stops where it starts to
/// write the next <c>User:</c> line (<see cref="StopSequences"/>).
/// </summary>
internal static class LlamaPrompt
{
    public const string TemplateKey = "tokenizer.chat_template";

    /// <summary>Where a transcript-style answer ends (the model begins the user's next line).</summary>
    public static readonly IReadOnlyList<string> StopSequences = ["\nUser:", "\nSystem:"];

    public static bool HasTemplate(LLamaWeights weights) => weights.Metadata.ContainsKey(TemplateKey);

    public static string Format(LLamaWeights weights, IEnumerable<ChatMessage> messages)
    {
        if (!HasTemplate(weights)) return Transcript(messages);
        var template = new LLamaTemplate(weights) { AddAssistant = true };
        foreach (var message in messages) template.Add(RoleOf(message), TextOf(message));
        return Encoding.UTF8.GetString(template.Apply());
    }

    /// <summary>The fallback format for models without a chat template.</summary>
    public static string Transcript(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            var body = TextOf(message);
            if (body.Length == 0) continue;
            string speaker = RoleOf(message) switch
            {
                "system" => "System",
                "assistant" => "Assistant",
                _ => "User",
            };
            text.Append(speaker).Append(": ").Append(body).Append('\n');
        }

        return text.Append("Assistant:").ToString();
    }

    /// <summary>Tool results go in as user turns: not every template knows a <c>tool</c> role.</summary>
    private static string RoleOf(ChatMessage message) =>
        message.Role == ChatRole.System ? "system" : message.Role == ChatRole.Assistant ? "assistant" : "user";

    private static string TextOf(ChatMessage message)
    {
        var text = new StringBuilder();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent t:
                    text.Append(t.Text);
                    break;
                case FunctionCallContent call:
                    text.Append("[called ").Append(call.Name).Append(']');
                    break;
                case FunctionResultContent result:
                    text.Append("[result: ").Append(result.Result?.ToString()).Append(']');
                    break;
            }
        }

        return text.ToString().Trim();
    }
}
