namespace MediaServer.Pipeline.Audio;

/// <summary>An operation's URL under a configured API base URL (<c>https://api.openai.com/v1</c> + <c>/audio/speech</c>).</summary>
internal static class ApiEndpoint
{
    /// <summary>
    /// <paramref name="baseUrl"/> joined with <paramref name="path"/>; a base that is not an absolute http(s) URL is
    /// refused naming <paramref name="setting"/>, so a typo stops the server at start rather than failing each turn.
    /// </summary>
    public static Uri Resolve(string baseUrl, string path, string setting)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"{setting} must be an absolute http(s) URL, not '{baseUrl}'.");
        return new Uri(baseUrl.TrimEnd('/') + path);
    }
}
