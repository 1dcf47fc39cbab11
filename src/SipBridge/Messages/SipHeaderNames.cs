namespace MediaServer.SipBridge.Messages;

/// <summary>Header names used by this stack and the RFC 3261 §7.3.3 compact forms they expand from.</summary>
public static class SipHeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string Contact = "Contact";
    public const string MaxForwards = "Max-Forwards";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Allow = "Allow";
    public const string Supported = "Supported";
    public const string Require = "Require";
    public const string ProxyRequire = "Proxy-Require";
    public const string Unsupported = "Unsupported";
    public const string Accept = "Accept";
    public const string Date = "Date";
    public const string Expires = "Expires";
    public const string SessionExpires = "Session-Expires";
    public const string MinSE = "Min-SE";
    public const string ReferTo = "Refer-To";
    public const string ReferredBy = "Referred-By";
    public const string Event = "Event";
    public const string SubscriptionState = "Subscription-State";
    public const string UserAgent = "User-Agent";
    public const string Server = "Server";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string Authorization = "Authorization";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string Reason = "Reason";

    /// <summary>
    /// Maps a compact form (RFC 3261 §7.3.3, RFC 3515, RFC 4028, RFC 3265) or any casing of a known name to the
    /// canonical name; unknown names are returned as given (comparison stays case-insensitive).
    /// </summary>
    public static string Canonicalize(string name)
    {
        if (name.Length == 1)
        {
            switch (char.ToLowerInvariant(name[0]))
            {
                case 'v': return Via;
                case 'f': return From;
                case 't': return To;
                case 'i': return CallId;
                case 'm': return Contact;
                case 'l': return ContentLength;
                case 'c': return ContentType;
                case 'e': return "Content-Encoding";
                case 's': return "Subject";
                case 'k': return Supported;
                case 'o': return Event;
                case 'r': return ReferTo;
                case 'b': return ReferredBy;
                case 'u': return "Allow-Events";
                case 'x': return SessionExpires;
                default: return name;
            }
        }

        foreach (var known in Known)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return name;
    }

    private static readonly string[] Known =
    [
        Via, From, To, CallId, CSeq, Contact, MaxForwards, ContentLength, ContentType, Route, RecordRoute, Allow,
        Supported, Require, ProxyRequire, Unsupported, Accept, Date, Expires, SessionExpires, MinSE, ReferTo,
        ReferredBy, Event, SubscriptionState, UserAgent, Server, WwwAuthenticate, Authorization, ProxyAuthenticate,
        ProxyAuthorization, Reason,
    ];
}
