using System.Text;
using System.Text.Json;
using MediaServer.Signaling.Realtime.Conversation;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;
using MediaServer.Signaling.Realtime.Tools;

namespace MediaServer.Signaling.Tests.Realtime.Tools;

public sealed class McpToolConfigTests
{
    private static (SessionConfig Config, List<RealtimeError> Errors) Apply(string tools)
    {
        var config = new SessionConfig();
        var errors = SessionConfigReader.Apply(config, JsonDocument.Parse($$"""{"type":"realtime","tools":{{tools}}}""").RootElement);
        return (config, errors);
    }

    [Fact]
    public void An_mcp_tool_is_read_with_its_filters_and_echoed_without_its_secrets()
    {
        var (config, errors) = Apply("""
            [{"type":"mcp","server_label":"shop","server_url":"http://127.0.0.1:9/mcp","authorization":"secret-token",
              "headers":{"X-Key":"secret-header"},"allowed_tools":{"tool_names":["add","lookup"],"read_only":true},
              "require_approval":{"never":{"tool_names":["add"]}}}]
            """);
        Assert.Empty(errors);
        var mcp = Assert.Single(config.Tools).Mcp!;
        Assert.Equal("shop", mcp.ServerLabel);
        Assert.Equal("secret-token", mcp.Authorization);
        Assert.False(mcp.RequiresApproval("add"));
        Assert.True(mcp.RequiresApproval("lookup"));
        Assert.True(mcp.Allows("add", readOnlyHint: true));
        Assert.False(mcp.Allows("add", readOnlyHint: false)); // read_only
        Assert.False(mcp.Allows("delete", readOnlyHint: true)); // not in tool_names

        var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            config.WriteTo(w);
        }

        string echoed = Encoding.UTF8.GetString(stream.ToArray());
        Assert.DoesNotContain("secret", echoed, StringComparison.Ordinal);
        var tool = JsonDocument.Parse(echoed).RootElement.GetProperty("tools")[0];
        Assert.Equal("mcp", tool.GetProperty("type").GetString());
        Assert.Equal("add", tool.GetProperty("require_approval").GetProperty("never").GetProperty("tool_names")[0].GetString());
    }

    [Theory]
    [InlineData("""[{"type":"mcp","server_url":"http://127.0.0.1:9/mcp"}]""", "session.tools[0].server_label")]
    [InlineData("""[{"type":"mcp","server_label":"x","server_url":"ftp://127.0.0.1/mcp"}]""", "session.tools[0].server_url")]
    [InlineData("""[{"type":"mcp","server_label":"x","connector_id":"connector_gmail"}]""", "session.tools[0]")]
    [InlineData("""[{"type":"mcp","server_label":"x","server_url":"http://127.0.0.1:9/","require_approval":"sometimes"}]""", "session.tools[0].require_approval")]
    [InlineData("""[{"type":"web_search","max_results":50}]""", "session.tools[0].max_results")]
    [InlineData("""[{"type":"code_interpreter"}]""", "session.tools[0].type")]
    [InlineData("""[{"type":"mcp","server_label":"x","server_url":"http://127.0.0.1:9/"},{"type":"mcp","server_label":"x","server_url":"http://127.0.0.1:8/"}]""", "session.tools[1].server_label")]
    public void Bad_server_tools_are_refused_with_the_parameter_named(string tools, string param)
    {
        var (_, errors) = Apply(tools);
        Assert.Equal(param, Assert.Single(errors).Param); // one error: the session keeps its previous config
    }

    [Fact]
    public void Tool_choice_mcp_is_read_and_echoed()
    {
        var config = new SessionConfig();
        Assert.Empty(SessionConfigReader.Apply(config, JsonDocument.Parse("""{"tool_choice":{"type":"mcp","server_label":"shop"}}""").RootElement));
        var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            config.WriteTo(w);
        }

        var choice = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("tool_choice");
        Assert.Equal("mcp", choice.GetProperty("type").GetString());
        Assert.Equal("shop", choice.GetProperty("server_label").GetString());
        Assert.False(choice.TryGetProperty("name", out _));
        Assert.NotEmpty(SessionConfigReader.Apply(config, JsonDocument.Parse("""{"tool_choice":{"type":"mcp"}}""").RootElement));
    }

    [Fact]
    public void Require_approval_defaults_to_always_as_openai_does()
    {
        var (config, errors) = Apply("""[{"type":"mcp","server_label":"x","server_url":"https://mcp.example/mcp"}]""");
        Assert.Empty(errors);
        Assert.True(config.Tools[0].Mcp!.RequiresApproval("anything"));
        Assert.False(config.Tools[0].IsFunction);
    }

    [Fact]
    public void Mcp_approval_response_items_are_read_and_written_in_the_ga_shape()
    {
        var errors = new List<RealtimeError>();
        var item = ConversationItemReader.Read(JsonDocument.Parse("""{"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":false,"reason":"no"}""").RootElement, "item", errors)!;
        Assert.Empty(errors);
        Assert.Equal("mcpr_1", item.ApprovalRequestId);
        Assert.False(item.Approve);
        var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            item.WriteTo(w);
        }

        var written = JsonDocument.Parse(stream.ToArray()).RootElement;
        Assert.Equal("mcp_approval_response", written.GetProperty("type").GetString());
        Assert.Equal("no", written.GetProperty("reason").GetString());
        Assert.False(written.GetProperty("approve").GetBoolean());

        Assert.Null(ConversationItemReader.Read(JsonDocument.Parse("""{"type":"mcp_approval_response","approve":"yes"}""").RootElement, "item", errors));
        Assert.Equal("missing_required_parameter", errors[^1].Code);
    }
}
