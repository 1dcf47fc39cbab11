using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaServer.Signaling.Realtime.Tools;

namespace MediaServer.Signaling.Tests.Realtime.Tools;

public sealed class SearxngWebSearchProviderTests
{
    private const string Answer = """
        {"query":"tides","number_of_results":3,
         "results":[{"url":"https://a.example/1","title":"One","content":"first","engine":"ddg"},
                    {"url":"https://a.example/2","title":"Two","content":"second"},
                    {"title":"no url, skipped"},
                    {"url":"https://a.example/3","content":"untitled"}],
         "answers":["High tide 14:05", {"answer":"Low tide 20:11","url":"https://a.example"}],
         "infoboxes":[],"suggestions":[]}
        """;

    [Fact]
    public void Results_and_answers_are_read_from_searxngs_json()
    {
        var found = SearxngWebSearchProvider.Parse(Encoding.UTF8.GetBytes(Answer), maxResults: 10);
        Assert.Null(found.Error);
        Assert.Equal(["https://a.example/1", "https://a.example/2", "https://a.example/3"], found.Hits.Select(h => h.Url));
        Assert.Equal("https://a.example/3", found.Hits[2].Title); // no title: the address stands in
        Assert.Equal(["High tide 14:05", "Low tide 20:11"], found.Answers);
        Assert.Equal(2, SearxngWebSearchProvider.Parse(Encoding.UTF8.GetBytes(Answer), maxResults: 2).Hits.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>403 Forbidden</html>")]
    [InlineData("[]")]
    [InlineData("""{"results":"none"}""")]
    [InlineData("""{"results":[1,2,{"url":5}]""")]
    public void Anything_else_is_an_error_never_an_exception(string body)
    {
        var found = SearxngWebSearchProvider.Parse(Encoding.UTF8.GetBytes(body), 5);
        Assert.True(found.Error is not null || found.Hits.Count == 0);
    }

    [Fact]
    public void A_bad_utf8_byte_inside_a_string_is_an_error_not_an_exception()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"results":[{"url":"https://a.example/X","title":"t"}]}""");
        body[Array.IndexOf(body, (byte)'X')] = 0xFF; // found by the server-tools fuzz target
        Assert.Contains("UTF-8", SearxngWebSearchProvider.Parse(body, 5).Error);
    }

    [Fact]
    public async Task The_client_sends_searxngs_query_and_reads_a_real_http_answer()
    {
        using var listener = Listen(out string baseUrl);
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            string query = context.Request.Url!.PathAndQuery;
            byte[] body = Encoding.UTF8.GetBytes(Answer);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
            return query;
        });
        using var http = new HttpClient();
        var provider = new SearxngWebSearchProvider(http, new Uri(baseUrl), TimeSpan.FromSeconds(10));
        var found = await provider.SearchAsync("tide times & moon", 1, CancellationToken.None);
        Assert.Equal("/search?q=tide%20times%20%26%20moon&format=json", await serve);
        Assert.Equal("One", Assert.Single(found.Hits).Title);
    }

    [Fact]
    public async Task An_http_error_is_reported_with_its_status()
    {
        using var listener = Listen(out string baseUrl);
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = 403; // a SearXNG without json in search.formats
            context.Response.Close();
        });
        using var http = new HttpClient();
        var found = await new SearxngWebSearchProvider(http, new Uri(baseUrl), TimeSpan.FromSeconds(10)).SearchAsync("x", 5, CancellationToken.None);
        await serve;
        Assert.Equal(403, found.StatusCode);
        Assert.Contains("403", found.Error);
    }

    private static HttpListener Listen(out string baseUrl)
    {
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                baseUrl = $"http://127.0.0.1:{port}/";
                return listener;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }
}
