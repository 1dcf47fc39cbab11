using MediaServer.Pipeline.Llm;

namespace MediaServer.Pipeline.Tests.Llm;

public sealed class LlmFailureMessageTests
{
    [Theory]
    [InlineData(null, ChatProviderErrorKind.Unavailable)]
    [InlineData(401, ChatProviderErrorKind.Unauthorized)]
    [InlineData(403, ChatProviderErrorKind.Unauthorized)]
    [InlineData(404, ChatProviderErrorKind.NotFound)]
    [InlineData(408, ChatProviderErrorKind.Timeout)]
    [InlineData(422, ChatProviderErrorKind.BadRequest)]
    [InlineData(429, ChatProviderErrorKind.RateLimited)]
    [InlineData(500, ChatProviderErrorKind.ServerError)]
    [InlineData(503, ChatProviderErrorKind.Overloaded)]
    [InlineData(529, ChatProviderErrorKind.Overloaded)]
    public void Statuses_map_to_kinds(int? status, ChatProviderErrorKind kind)
    {
        Assert.Equal(kind, ChatProviderException.KindOf(status));
    }

    [Fact]
    public void The_message_names_provider_status_wait_and_the_providers_words()
    {
        var e = ChatProviderException.Create("groq", ChatProviderErrorKind.RateLimited, 429, TimeSpan.FromMilliseconds(6200), "Rate limit reached.", null);
        Assert.Equal("LLM provider 'groq' rate-limited the request (HTTP 429); retry after 7 s: Rate limit reached.", e.Message);
        Assert.True(e.IsRetryable);
    }

    [Fact]
    public void Final_errors_are_not_retryable()
    {
        Assert.False(ChatProviderException.Create("x", ChatProviderErrorKind.Unauthorized, 401, null, null, null).IsRetryable);
        Assert.True(ChatProviderException.Create("x", ChatProviderErrorKind.StreamInterrupted, null, null, null, null).IsRetryable);
        Assert.True(ChatProviderException.Create("x", ChatProviderErrorKind.Overloaded, null, null, null, null).IsRetryable);
    }

    [Theory]
    [InlineData("""{"error":{"message":"Rate limit reached","type":"requests"}}""", "Rate limit reached")]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", "Overloaded")]
    [InlineData("<html>502 Bad Gateway</html>", null)]
    [InlineData("", null)]
    [InlineData("""{"error":"flat string"}""", null)]
    [InlineData("[1,2]", null)]
    public void Error_bodies_yield_their_message_or_nothing(string body, string? expected)
    {
        Assert.Equal(expected, ProviderErrorBody.Message(body));
    }

    [Fact]
    public void Long_details_are_clipped()
    {
        var body = $$$"""{"error":{"message":"{{{new string('x', 5000)}}}"}}""";
        Assert.Equal(ProviderErrorBody.MaxDetailLength + 3, ProviderErrorBody.Message(body)!.Length);
    }

    [Theory]
    [InlineData("250", "9", 0.25)]
    [InlineData(null, "7", 7.0)]
    [InlineData(null, "1.5", 1.5)]
    [InlineData("nonsense", "3", 3.0)]
    public void Retry_after_headers(string? ms, string? value, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Parse(ms, value, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Retry_after_as_an_http_date()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfterHeader.Parse(null, "Thu, 01 Jan 2026 12:00:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(null, "Thu, 01 Jan 2026 11:00:00 GMT", now));
        Assert.Null(RetryAfterHeader.Parse(null, "soon", now));
        Assert.Null(RetryAfterHeader.Parse(null, null, now));
    }
}
