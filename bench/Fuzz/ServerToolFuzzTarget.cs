using System.Text;
using System.Text.Json;
using MediaServer.Signaling.Realtime.Conversation;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;
using MediaServer.Signaling.Realtime.Tools;

namespace MediaServer.Fuzz;

/// <summary>
/// What server-run tools read from the network: a search engine's SearXNG JSON answer, <c>type: "mcp"</c> and
/// <c>web_search</c> tool declarations in <c>session.update</c>, and client MCP items. Each must classify, never throw
/// (bytes that are not UTF-8 or JSON are refused by the session first and are skipped here).
/// </summary>
public sealed class ServerToolFuzzTarget : IFuzzTarget
{
    public string Name => "server-tools";

    public IReadOnlyList<byte[]> Seeds { get; } =
    [
        Encoding.UTF8.GetBytes("""{"query":"q","results":[{"url":"https://a.example","title":"A","content":"x"}],"answers":["y",{"answer":"z"}]}"""),
        Encoding.UTF8.GetBytes("""{"tools":[{"type":"mcp","server_label":"s","server_url":"http://127.0.0.1:1/mcp","authorization":"t","headers":{"a":"b"},"allowed_tools":{"tool_names":["x"],"read_only":true},"require_approval":{"always":{"tool_names":["x"]},"never":{"tool_names":["y"]}}},{"type":"web_search","max_results":3}]}"""),
        Encoding.UTF8.GetBytes("""{"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":true,"reason":"ok"}"""),
        Encoding.UTF8.GetBytes("""{"type":"mcp_call","server_label":"s","name":"n","arguments":"{}","output":"o","error":{"type":"http_error","code":500,"message":"m"}}"""),
    ];

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        _ = SearxngWebSearchProvider.Parse(input, 5);
        if (!System.Text.Unicode.Utf8.IsValid(input))
        {
            return; // the session refuses such a message before it reaches these readers
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(input.ToArray());
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var errors = new List<RealtimeError>();
            _ = SessionConfigReader.Apply(new SessionConfig(), document.RootElement);
            _ = ConversationItemReader.Read(document.RootElement, "item", errors);
        }
    }
}
