using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.ScaleOut;

/// <summary>The HTTP requests the scale-out tests send to a node, with the test key.</summary>
internal static class NodeClient
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<HttpResponseMessage> SendAsync(ServerProcess node, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(node.HttpBase, path));
        request.Headers.Authorization = new("Bearer", "test");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Http.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(ServerProcess node, HttpMethod method, string path, object? body = null)
    {
        using var response = await SendAsync(node, method, path, body);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>The node's live SIP calls as <c>GET /v1/realtime/calls</c> lists them.</summary>
    public static async Task<List<JsonNode>> SipCallsAsync(ServerProcess node) =>
        [.. (await JsonAsync(node, HttpMethod.Get, "/v1/realtime/calls"))["data"]!.AsArray()
            .Where(c => (string?)c!["transport"] == "sip").Select(c => c!)];

    /// <summary>Polls <paramref name="probe"/> every 100 ms until it returns a value; throws with <paramref name="describe"/> after <paramref name="seconds"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, int seconds, Func<string> describe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not reached within {seconds} s.\n{describe()}");
            }

            await Task.Delay(100);
        }
    }
}
