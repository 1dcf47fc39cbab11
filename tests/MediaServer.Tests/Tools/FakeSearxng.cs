using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace MediaServer.Tests.Tools;

/// <summary>
/// A local stand-in for a SearXNG instance: <c>GET /search?q=…&amp;format=json</c> answers SearXNG's JSON shape
/// (docs.searxng.org "Search API"); any other format is refused with 403 as a real instance does by default.
/// </summary>
public sealed class FakeSearxng : LoopbackHttpServer
{
    public string Url => Origin;

    public ConcurrentQueue<string> Queries { get; } = new();

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        string? q = context.Request.QueryString["q"];
        if (context.Request.Url!.AbsolutePath != "/search" || context.Request.QueryString["format"] != "json" || q is null)
        {
            context.Response.StatusCode = 403;
            context.Response.Close();
            return;
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
