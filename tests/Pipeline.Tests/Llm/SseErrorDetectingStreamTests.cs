using System.Text;
using MediaServer.Pipeline.Llm;
using MediaServer.Pipeline.Llm.OpenAiCompatible;

namespace MediaServer.Pipeline.Tests.Llm;

public sealed class SseErrorDetectingStreamTests
{
    /// <summary>Hands out the body in reads of <paramref name="chunk"/> bytes, as a network would.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    private static async Task<(string Passed, Exception? Error)> DrainAsync(string body, int chunk)
    {
        await using var stream = new SseErrorDetectingStream(new ChunkedStream(Encoding.UTF8.GetBytes(body), chunk), "or");
        var passed = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) passed.Write(buffer, 0, n);
        }
        catch (ChatProviderException e)
        {
            return (Encoding.UTF8.GetString(passed.ToArray()), e);
        }

        return (Encoding.UTF8.GetString(passed.ToArray()), null);
    }

    private const string Content = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    private const string ErrorLine = "data: {\"error\":{\"code\":502,\"message\":\"Upstream failed\"},\"choices\":[{\"finish_reason\":\"error\"}]}\n\n";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Content_before_an_error_line_is_handed_out_then_the_error_is_thrown(int chunk)
    {
        var (passed, error) = await DrainAsync(Content + ErrorLine, chunk);

        Assert.StartsWith(Content, passed, StringComparison.Ordinal);
        // Bytes of the error line may pass before its end is seen, but never the whole line: the SDK above never
        // parses the error chunk (it would choke on finish_reason "error"), it gets our exception instead.
        Assert.DoesNotContain(ErrorLine[..(ErrorLine.IndexOf('\n', StringComparison.Ordinal) + 1)], passed, StringComparison.Ordinal);
        var failure = Assert.IsType<ChatProviderException>(error);
        Assert.Equal(ChatProviderErrorKind.ServerError, failure.Kind);
        Assert.Contains("'or'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Upstream failed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_code_that_is_an_http_status_sets_the_kind()
    {
        var (_, error) = await DrainAsync("data: {\"error\":{\"code\":429,\"message\":\"slow down\"}}\n\n", 4096);
        Assert.Equal(ChatProviderErrorKind.RateLimited, Assert.IsType<ChatProviderException>(error).Kind);
    }

    [Theory]
    [InlineData("data: [DONE]\n\n")]
    [InlineData("data: {\"choices\":[{\"delta\":{\"content\":\"the word \\\"error\\\" in text\"}}]}\n\n")]
    [InlineData("data: \"error\" but not JSON {\n\n")]
    [InlineData("data: {\"error\":\"a string, not an object\"}\n\n")]
    [InlineData(": comment \"error\"\n\n")]
    public async Task Everything_else_passes_through_byte_for_byte(string body)
    {
        var (passed, error) = await DrainAsync(Content + body, 5);
        Assert.Null(error);
        Assert.Equal(Content + body, passed);
    }

    [Fact]
    public async Task A_line_longer_than_the_window_is_content_and_passes()
    {
        var body = "data: {\"error\":{\"message\":\"" + new string('x', 20_000) + "\"}}\n\n" + Content;
        var (passed, error) = await DrainAsync(body, 1000);
        Assert.Null(error);
        Assert.Equal(body, passed);
    }
}
