using System.Net;
using System.Text.Json.Nodes;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// The application's side of <c>realtime.call.incoming</c>: a local HTTP endpoint that answers the server's first
/// webhook delivery with 200 and hands the test its body, raw bytes and signature headers.
/// </summary>
public sealed class CallWebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TaskCompletionSource<CallWebhook> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CallWebhookReceiver()
    {
        int port = ServerProcess.FreeTcpPort();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ReceiveFirstAsync);
    }

    /// <summary>Where the server should deliver (<c>MediaServer:Calls:WebhookUrl</c>).</summary>
    public string Url { get; }

    /// <summary>The first delivery.</summary>
    public Task<CallWebhook> First => _first.Task;

    public void Dispose() => _listener.Close();

    private async Task ReceiveFirstAsync()
    {
        try
        {
            var context = await _listener.GetContextAsync();
            using var ms = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(ms);
            byte[] raw = ms.ToArray();
            _first.TrySetResult(new CallWebhook(JsonNode.Parse(raw)!.AsObject(), context.Request.Headers["webhook-signature"] ?? "",
                context.Request.Headers["webhook-id"] ?? "", context.Request.Headers["webhook-timestamp"] ?? "", raw));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            _first.TrySetException(ex); // closed before any delivery
        }
    }
}

/// <summary>One webhook delivery as the application received it.</summary>
public sealed record CallWebhook(JsonObject Body, string Signature, string Id, string Timestamp, byte[] Raw)
{
    public string CallId => (string)Body["data"]!["call_id"]!;
}
