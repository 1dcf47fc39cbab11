namespace MediaServer.Pipeline.Llm.Anthropic;

/// <summary>
/// Sits under the Anthropic SDK's HTTP client and turns an error status into a <see cref="ChatProviderException"/>
/// before the SDK sees it: the SDK's exceptions keep the status and body but drop the headers, and the
/// <c>retry-after</c> of a 429 (https://docs.anthropic.com/en/api/rate-limits#response-headers) is what a
/// caller needs to decide when to try again. Success responses pass through untouched.
/// </summary>
internal sealed class AnthropicStatusHandler(string provider, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;

        using (response)
        {
            int status = (int)response.StatusCode;
            var retryAfter = RetryAfterHeader.Parse(Header(response, "retry-after-ms"), Header(response, "retry-after"), time.GetUtcNow());
            string? body = null;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                // the status says enough
            }

            throw ChatProviderException.Create(provider, ChatProviderException.KindOf(status), status, retryAfter, ProviderErrorBody.Message(body), null);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
