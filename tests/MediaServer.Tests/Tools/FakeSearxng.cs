using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace MediaServer.Tests.Tools;

/// <summary>
/// A local stand-in for a SearXNG instance: <c>GET /search?q=…&amp;format=json</c> answers SearXNG's JSON shape
/// (docs.searxng.org "Search API"); any other format is refused with 403 as a real instance does by default.
/// </summary>
public sealed class FakeSearxng : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeSearxng()
    {
        int port = Infrastructure.ServerProcess.FreeTcpPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Url = $"http://127.0.0.1:{port}";
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<string> Queries { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            string? q = context.Request.QueryString["q"];
            if (context.Request.Url!.AbsolutePath != "/search" || context.Request.QueryString["format"] != "json" || q is null)
            {
                context.Response.StatusCode = 403;
                context.Response.Close();
                continue;
            }

            Queries.Enqueue(q);
            string body = $$"""
                {"query":"{{q}}","number_of_results":2,
                 "results":[
                   {"url":"https://example.org/tides","title":"Tide tables","content":"High tide at 14:05 today.","engine":"duckduckgo","score":1.5},
                   {"url":"https://example.org/moon","title":"Moon phases","content":"Full moon on Friday.","engine":"bing","score":1.0}],
                 "answers":[],"corrections":[],"infoboxes":[],"suggestions":[],"unresponsive_engines":[]}
                """;
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
