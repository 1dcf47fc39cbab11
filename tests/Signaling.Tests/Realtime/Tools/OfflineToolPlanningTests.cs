using System.Text.Json;
using MediaServer.Pipeline.Llm.Offline;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Tests.Realtime.Tools;

/// <summary>The offline responder calls server tools (MCP, web search) by keyword, the way it calls functions.</summary>
public sealed class OfflineToolPlanningTests
{
    private static FunctionCallContent? Plan(string said, params AITool[] tools)
    {
        var client = new OfflineResponderChatClient();
        var response = client.GetResponseAsync([new ChatMessage(ChatRole.User, said)], new ChatOptions { Tools = tools, ToolMode = ChatToolMode.Auto }).Result;
        return response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().SingleOrDefault();
    }

    private static AITool Tool(string name, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, name, JsonDocument.Parse(schema).RootElement);

    [Fact]
    public void Number_parameters_take_the_numbers_in_the_order_said()
    {
        var call = Plan("please add 2 and 3.5", Tool("add", """{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}"""))!;
        Assert.Equal("add", call.Name);
        Assert.Equal(2.0, call.Arguments!["a"]);
        Assert.Equal(3.5, call.Arguments["b"]);
    }

    [Fact]
    public void Identifier_parameters_take_the_word_with_digits()
    {
        var call = Plan("can you look up order #A-1234 for me?", Tool("lookup_order", """{"type":"object","properties":{"order_number":{"type":"string"}},"required":["order_number"]}"""))!;
        Assert.Equal("A-1234", call.Arguments!["order_number"]);
    }

    [Fact]
    public void Web_search_is_called_with_what_to_search_for()
    {
        var call = Plan("search the web for tide times", Tool("web_search", """{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}"""))!;
        Assert.Equal("tide times", call.Arguments!["query"]);
    }

    [Fact]
    public void A_tool_nobody_mentioned_is_not_called()
    {
        Assert.Null(Plan("good morning", Tool("add", """{"type":"object","properties":{"a":{"type":"number"}},"required":["a"]}""")));
    }
}
