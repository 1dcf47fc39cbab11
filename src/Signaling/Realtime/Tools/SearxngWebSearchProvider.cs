using System.Text.Json;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// SearXNG's JSON API (docs.searxng.org, "Search API"): <c>GET {base}/search?q=…&amp;format=json</c> answers
/// <c>{"query", "number_of_results", "results":[{"url","title","content","engine",...}], "answers":[...], ...}</c>.
/// The instance must have <c>json</c> in <c>search.formats</c> (its settings.yml), else it answers 403.
/// Anything that is not that shape is reported as an error, never thrown.
/// </summary>
public sealed class SearxngWebSearchProvider(HttpClient http, Uri baseUrl, TimeSpan timeout) : IWebSearchProvider
{
    /// <summary>Largest response body read (1 MiB): a search page is a few kilobytes.</summary>
    private const int MaxBodyBytes = 1 << 20;

    public async Task<WebSearchResponse> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        var url = new Uri(baseUrl, "search?q=" + Uri.EscapeDataString(query) + "&format=json");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        byte[] body;
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return WebSearchResponse.Failed($"The search engine answered HTTP {(int)response.StatusCode}.", (int)response.StatusCode);
            }

            if (response.Content.Headers.ContentLength > MaxBodyBytes)
            {
                return WebSearchResponse.Failed("The search engine's answer is too large.");
            }

            body = await response.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WebSearchResponse.Failed("The search engine did not answer in time.", 408);
        }
        catch (HttpRequestException ex)
        {
            return WebSearchResponse.Failed("The search engine could not be reached: " + ex.Message, (int?)ex.StatusCode);
        }

        return Parse(body, maxResults);
    }

    /// <summary>Parses a SearXNG JSON answer; a body that is not one gives an error response.</summary>
    public static WebSearchResponse Parse(ReadOnlySpan<byte> body, int maxResults)
    {
        if (body.Length > MaxBodyBytes)
        {
            return WebSearchResponse.Failed("The search engine's answer is too large.");
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            // JsonDocument checks structure only; a bad byte inside a string would throw from GetString.
            return WebSearchResponse.Failed("The search engine's answer is not valid UTF-8.");
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                return WebSearchResponse.Failed("The search engine's answer has no results array.");
            }

            var hits = new List<WebSearchHit>();
            foreach (var r in results.EnumerateArray())
            {
                if (hits.Count >= maxResults)
                {
                    break;
                }

                if (r.ValueKind == JsonValueKind.Object && Text(r, "url") is { Length: > 0 } url)
                {
                    hits.Add(new WebSearchHit(Text(r, "title") ?? url, url, Text(r, "content") ?? string.Empty));
                }
            }

            var answers = new List<string>();
            if (root.TryGetProperty("answers", out var a) && a.ValueKind == JsonValueKind.Array)
            {
                foreach (var answer in a.EnumerateArray())
                {
                    // Older instances list strings; newer ones objects with an "answer" field.
                    if (answer.ValueKind == JsonValueKind.String)
                    {
                        answers.Add(answer.GetString()!);
                    }
                    else if (answer.ValueKind == JsonValueKind.Object && Text(answer, "answer") is { } text)
                    {
                        answers.Add(text);
                    }
                }
            }

            return new WebSearchResponse(hits, answers);
        }
        catch (JsonException)
        {
            return WebSearchResponse.Failed("The search engine's answer is not JSON.");
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
