using System.Text.Json;

namespace MediaServer.Pipeline.Llm;

/// <summary>
/// Pulls the human-readable message out of a provider's error body. OpenAI-compatible servers send
/// <c>{"error":{"message":...}}</c>, Anthropic <c>{"type":"error","error":{"type":...,"message":...}}</c>;
/// anything else (HTML from a proxy, empty) yields null. Never throws: the body comes from the network.
/// </summary>
internal static class ProviderErrorBody
{
    /// <summary>Longest detail passed on, so a proxy's error page cannot flood the client's error event.</summary>
    public const int MaxDetailLength = 300;

    public static string? Message(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return Clip(message.GetString());
            }
        }
        catch (JsonException)
        {
            // not JSON: say nothing rather than echo a page of HTML
        }

        return null;
    }

    public static string? Clip(string? text) =>
        text is null ? null : text.Length <= MaxDetailLength ? text : text[..MaxDetailLength] + "...";
}
