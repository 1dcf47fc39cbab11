using System.Text.Json.Nodes;
using static MediaServer.Tests.Tools.ToolTestSupport;

namespace MediaServer.Tests.Tools;

/// <summary>
/// <c>type: "mcp"</c> tools end to end through the WebSocket: the server lists a real MCP server's tools, the model
/// (the offline responder, or a fake OpenAI-wire model) calls one, the server runs it and the same response answers.
/// </summary>
[Collection("Tools")]
public sealed class McpToolTests(ToolsFixture fixture)
{
    [Fact]
    public async Task Mcp_tools_are_listed_then_called_by_the_server_and_answered_in_the_same_response()
    {
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp)]);
        var inProgress = await client.WaitForAsync("mcp_list_tools.in_progress", 30);
        string listId = (string)inProgress["item_id"]!;
        await client.WaitForAsync("mcp_list_tools.completed", 30, e => (string?)e["item_id"] == listId);
        var listed = await client.WaitForAsync("conversation.item.done", 30, e => (string?)e["item"]!["id"] == listId);
        Assert.Equal("mcp_list_tools", (string?)listed["item"]!["type"]);
        Assert.Equal("shop", (string?)listed["item"]!["server_label"]);
        var names = listed["item"]!["tools"]!.AsArray().Select(t => (string?)t!["name"]).ToList();
        Assert.Contains("add", names);
        Assert.Contains("lookup_order", names);
        Assert.NotNull(listed["item"]!["tools"]!.AsArray().First(t => (string?)t!["name"] == "add")!["input_schema"]!["properties"]!["a"]);
        Assert.Contains("hello-mcp", TestMcpServer.HeadersSeen);

        await SayAsync(client, "please add 2 and 3");
        await client.SendAsync(new { type = "response.create" });
        var added = await client.WaitForAsync("response.output_item.added", 60, e => (string?)e["item"]!["type"] == "mcp_call");
        string callId = (string)added["item"]!["id"]!;
        var argsDone = await client.WaitForAsync("response.mcp_call_arguments.done", 30);
        Assert.Equal(callId, (string?)argsDone["item_id"]);
        var arguments = JsonNode.Parse((string)argsDone["arguments"]!)!;
        Assert.Equal(2, (double)arguments["a"]!);
        Assert.Equal(3, (double)arguments["b"]!);
        Assert.Equal((string)argsDone["arguments"]!, string.Concat(client.All("response.mcp_call_arguments.delta").Select(d => (string)d["delta"]!)));
        await client.WaitForAsync("response.mcp_call.in_progress", 30, e => (string?)e["item_id"] == callId);
        await client.WaitForAsync("response.mcp_call.completed", 30, e => (string?)e["item_id"] == callId);
        var callDone = await client.WaitForAsync("response.output_item.done", 30, e => (string?)e["item"]!["id"] == callId);
        Assert.Equal("5", (string?)callDone["item"]!["output"]);
        Assert.Equal("shop", (string?)callDone["item"]!["server_label"]);
        Assert.Null(callDone["item"]!["error"]);
        var text = await client.WaitForAsync("response.output_text.done", 60);
        Assert.Contains("5", (string?)text["text"]);
        var done = await client.WaitForAsync("response.done", 30);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        var output = Output(done);
        Assert.Equal(["mcp_call", "message"], output.Select(o => (string?)o!["type"]));
        Assert.Contains("add:2,3", TestMcpServer.Calls);
    }

    [Fact]
    public async Task A_call_that_needs_approval_waits_for_the_clients_mcp_approval_response()
    {
        // lookup_order needs approval (everything but add does): the first response only asks.
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp, requireApproval: new { never = new { tool_names = new[] { "add" } } })]);
        await client.WaitForAsync("mcp_list_tools.completed", 30);
        await SayAsync(client, "look up order 4711 please");
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        var request = Output(done).Single()!;
        Assert.Equal("mcp_approval_request", (string?)request["type"]);
        Assert.Equal("lookup_order", (string?)request["name"]);
        Assert.Equal("shop", (string?)request["server_label"]);
        Assert.Equal("4711", (string?)JsonNode.Parse((string)request["arguments"]!)!["order_number"]);
        Assert.DoesNotContain("lookup_order:4711", TestMcpServer.Calls);

        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "mcp_approval_response", approval_request_id = (string)request["id"]!, approve = true } });
        var response = await client.WaitForAsync("conversation.item.done", 30, e => (string?)e["item"]!["type"] == "mcp_approval_response");
        Assert.True((bool)response["item"]!["approve"]!);
        await client.SendAsync(new { type = "response.create" });
        var call = await client.WaitForAsync("response.output_item.done", 60, e => (string?)e["item"]!["type"] == "mcp_call");
        Assert.Equal((string)request["id"]!, (string?)call["item"]!["approval_request_id"]);
        Assert.Contains("shipped", (string?)call["item"]!["output"]);
        var text = await client.WaitForAsync("response.output_text.done", 60);
        Assert.Contains("shipped", (string?)text["text"]);
        Assert.Contains("lookup_order:4711", TestMcpServer.Calls);
    }

    [Fact]
    public async Task A_declined_call_never_runs_and_the_model_hears_why()
    {
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp, requireApproval: "always")]);
        await client.WaitForAsync("mcp_list_tools.completed", 30);
        await SayAsync(client, "delete my account 31337");
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        var request = Output(done).Single()!;
        Assert.Equal("delete_account", (string?)request["name"]);
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "mcp_approval_response", approval_request_id = (string)request["id"]!, approve = false, reason = "not today" } });
        await client.SendAsync(new { type = "response.create" });
        var second = await client.WaitForAsync("response.done", 60);
        Assert.DoesNotContain(Output(second), o => (string?)o!["type"] == "mcp_call");
        Assert.Contains("declined", (string?)client.All("response.output_text.done").Last()["text"]);
        Assert.DoesNotContain(TestMcpServer.Calls, c => c.StartsWith("delete_account", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_mcp_tool_given_to_one_response_only_is_listed_and_called_for_it()
    {
        await using var client = await ConnectAsync(fixture.Server, []);
        await SayAsync(client, "please add 20 and 22");
        await client.SendAsync(new { type = "response.create", response = new { tools = new[] { McpTool(fixture.Mcp, label: "per_response") } } });
        await client.WaitForAsync("mcp_list_tools.completed", 30);
        var call = await client.WaitForAsync("response.output_item.done", 60, e => (string?)e["item"]!["type"] == "mcp_call");
        Assert.Equal("per_response", (string?)call["item"]!["server_label"]);
        Assert.Equal("42", (string?)call["item"]!["output"]);
        Assert.Contains("42", (string?)(await client.WaitForAsync("response.output_text.done", 60))["text"]);
        Assert.Empty(client.All("session.updated").Last()["session"]!["tools"]!.AsArray()); // the session's own tools are unchanged
    }

    [Fact]
    public async Task Tool_choice_mcp_forces_that_servers_tool_once_then_the_model_answers()
    {
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp)], extra: new Dictionary<string, object?>
        {
            ["tool_choice"] = new { type = "mcp", server_label = "shop", name = "add" },
        });
        var echoed = client.All("session.updated").Last()["session"]!["tool_choice"]!;
        Assert.Equal("mcp", (string?)echoed["type"]);
        Assert.Equal("shop", (string?)echoed["server_label"]);
        Assert.Equal("add", (string?)echoed["name"]);
        await client.WaitForAsync("mcp_list_tools.completed", 30);
        await SayAsync(client, "hello, 7 then 8"); // no tool named: only the forced choice calls add
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        var output = Output(done);
        Assert.Equal(["mcp_call", "message"], output.Select(o => (string?)o!["type"]));
        Assert.Equal("15", (string?)output[0]!["output"]);
    }

    [Fact]
    public async Task Cancelling_while_a_server_tool_runs_closes_its_item_incomplete()
    {
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp)]);
        await client.WaitForAsync("mcp_list_tools.completed", 30);
        await SayAsync(client, "look up order 9555"); // orders starting with 9 take 1.5 s
        await client.SendAsync(new { type = "response.create" });
        var started = await client.WaitForAsync("response.mcp_call.in_progress", 60);
        await client.SendAsync(new { type = "response.cancel" });
        var done = await client.WaitForAsync("response.done", 30);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        var call = Output(done).Single()!;
        Assert.Equal((string?)started["item_id"], (string?)call["id"]);
        Assert.Equal("incomplete", (string?)call["status"]);
        Assert.Null(call["output"]);
        Assert.Empty(client.All("response.mcp_call.completed"));
    }

    [Fact]
    public async Task Allowed_tools_hide_the_rest_of_the_servers_tools()
    {
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp, allowed: ["add"])]);
        var listed = await client.WaitForAsync("conversation.item.done", 30, e => (string?)e["item"]!["type"] == "mcp_list_tools");
        Assert.Equal(["add"], listed["item"]!["tools"]!.AsArray().Select(t => (string?)t!["name"]));
        await SayAsync(client, "look up order 5150");
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.DoesNotContain(Output(done), o => ((string?)o!["type"])!.StartsWith("mcp", StringComparison.Ordinal));
        Assert.DoesNotContain("lookup_order:5150", TestMcpServer.Calls);
    }

    [Fact]
    public async Task An_unreachable_server_fails_its_listing_and_the_session_goes_on()
    {
        var tool = new Dictionary<string, object?>
        {
            ["type"] = "mcp", ["server_label"] = "gone", ["server_url"] = $"http://127.0.0.1:{Infrastructure.ServerProcess.FreeTcpPort()}/mcp", ["require_approval"] = "never",
        };
        await using var client = await ConnectAsync(fixture.Server, [tool]);
        var failed = await client.WaitForAsync("mcp_list_tools.failed", 30);
        var item = await client.WaitForAsync("conversation.item.done", 30, e => (string?)e["item"]!["id"] == (string?)failed["item_id"]);
        Assert.Empty(item["item"]!["tools"]!.AsArray());
        Assert.Contains(client.All("error"), e => (string?)e["error"]!["code"] == "mcp_list_tools_failed");
        await SayAsync(client, "hello there");
        await client.SendAsync(new { type = "response.create" });
        Assert.Equal("completed", (string?)(await client.WaitForAsync("response.done", 60))["response"]!["status"]);
    }

    [Fact]
    public async Task A_model_on_the_openai_wire_calls_the_mcp_tool_and_its_usage_is_reported()
    {
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp)], model: "fake/fake-model");
        await client.WaitForAsync("mcp_list_tools.completed", 30);
        int before = fixture.Chat.Requests.Count;
        await SayAsync(client, "what is two plus three");
        await client.SendAsync(new { type = "response.create" });
        var call = await client.WaitForAsync("response.output_item.done", 60, e => (string?)e["item"]!["type"] == "mcp_call");
        Assert.Equal("add", (string?)call["item"]!["name"]);
        Assert.Equal("5", (string?)call["item"]!["output"]);
        var text = await client.WaitForAsync("response.output_text.done", 60);
        Assert.Equal("The sum is 5.", (string?)text["text"]);
        var done = await client.WaitForAsync("response.done", 30);
        var usage = done["response"]!["usage"]!;
        Assert.Equal(84, (int)usage["input_tokens"]!); // two model rounds, 42 prompt tokens each, as the provider said
        Assert.Equal(14, (int)usage["output_tokens"]!);
        Assert.Equal(14, (int)usage["output_token_details"]!["text_tokens"]!);

        var requests = fixture.Chat.Requests.Skip(before).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Contains(requests[0]["tools"]!.AsArray(), t => (string?)t!["function"]!["name"] == "add");
        var toolMessage = requests[1]["messages"]!.AsArray().Last(m => (string?)m!["role"] == "tool")!;
        Assert.Contains("5", toolMessage["content"]!.ToJsonString());
    }
}
