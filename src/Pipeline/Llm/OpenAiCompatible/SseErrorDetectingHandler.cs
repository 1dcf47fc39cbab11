namespace MediaServer.Pipeline.Llm.OpenAiCompatible;

/// <summary>
/// Sits under the OpenAI SDK's HTTP client and wraps every <c>text/event-stream</c> body in a
/// <see cref="SseErrorDetectingStream"/>, so an error reported in the middle of a stream reaches the caller with
/// the provider's words. Other responses pass through untouched.
/// </summary>
internal sealed class SseErrorDetectingHandler(string provider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream") return response;

        var original = response.Content;
        var body = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var wrapped = new StreamContent(new SseErrorDetectingStream(body, provider));
        foreach (var header in original.Headers) wrapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = wrapped;
        return response;
    }
}
