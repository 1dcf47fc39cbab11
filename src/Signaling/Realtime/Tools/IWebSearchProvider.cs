namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>A web search engine the <c>web_search</c> tool asks. Implementations never throw for a bad answer.</summary>
public interface IWebSearchProvider
{
    /// <summary>Runs one query; <see cref="WebSearchResponse.Error"/> says why when it failed.</summary>
    Task<WebSearchResponse> SearchAsync(string query, int maxResults, CancellationToken cancellationToken);
}

/// <summary>One hit: title, address and the engine's snippet.</summary>
public sealed record WebSearchHit(string Title, string Url, string Snippet);

/// <summary>What a search gave: hits and direct answers, or an error with the HTTP status when there was one.</summary>
public sealed record WebSearchResponse(IReadOnlyList<WebSearchHit> Hits, IReadOnlyList<string> Answers, string? Error = null, int? StatusCode = null)
{
    public static WebSearchResponse Failed(string error, int? status = null) => new([], [], error, status);
}
