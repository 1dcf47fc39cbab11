namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// The URL a session connects to. OpenAI takes the model in the query (<c>?model=gpt-realtime</c>, REALTIME-PROTOCOL
/// §1.1); Inworld takes a client-chosen session key and <c>protocol=realtime</c> and the model in
/// <c>session.update</c> (§6). Parameters the configured URL already has are kept as they are.
/// </summary>
internal static class UpstreamUrl
{
    public static Uri Build(UpstreamTarget target, string sessionId)
    {
        var builder = new UriBuilder(target.Provider.Url);
        string query = builder.Query.TrimStart('?');
        if (target.Provider.IsInworld)
        {
            query = Add(query, "key", sessionId);
            query = Add(query, "protocol", "realtime");
        }
        else
        {
            query = Add(query, "model", target.Model);
        }

        builder.Query = query;
        return builder.Uri;
    }

    private static string Add(string query, string name, string value)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.Split('=')[0].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return query;
            }
        }

        string item = name + "=" + Uri.EscapeDataString(value);
        return query.Length == 0 ? item : query + "&" + item;
    }
}
