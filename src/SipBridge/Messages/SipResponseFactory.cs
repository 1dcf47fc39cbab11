namespace MediaServer.SipBridge.Messages;

/// <summary>Builds responses from requests by the copying rules of RFC 3261 §8.2.6.2.</summary>
public static class SipResponseFactory
{
    /// <summary>
    /// Copies Via (all, verbatim and in order), From, Call-ID, CSeq and To; adds <paramref name="toTag"/> to To when
    /// given and To has none. Works on partially valid requests (a 400 for a message with a bad header).
    /// </summary>
    public static SipResponse Create(SipRequest request, int statusCode, string? reasonPhrase = null, string? toTag = null)
    {
        var response = new SipResponse { StatusCode = statusCode, ReasonPhrase = reasonPhrase ?? DefaultReason(statusCode) };
        foreach (var h in request.Headers)
        {
            if (SipText.NameEquals(h.Name, SipHeaderNames.Via) || SipText.NameEquals(h.Name, SipHeaderNames.From)
                || SipText.NameEquals(h.Name, SipHeaderNames.CallId) || SipText.NameEquals(h.Name, SipHeaderNames.CSeq))
            {
                response.Headers.Add(h);
            }
            else if (SipText.NameEquals(h.Name, SipHeaderNames.To))
            {
                string value = h.Value;
                if (toTag is not null && statusCode > 100 && SipNameAddress.TryParse(value, out var to, out _) && to.Tag is null)
                {
                    to.Tag = toTag;
                    value = to.ToString();
                }

                response.Headers.Add(SipHeaderNames.To, value);
            }
        }

        return response;
    }

    /// <summary>RFC 3261 §21 reason phrases for the codes this stack sends.</summary>
    public static string DefaultReason(int code) => code switch
    {
        100 => "Trying",
        180 => "Ringing",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        422 => "Session Interval Too Small",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "Version Not Supported",
        513 => "Message Too Large",
        603 => "Decline",
        _ => code < 200 ? "Progress" : code < 300 ? "OK" : code < 400 ? "Redirect" : code < 500 ? "Request Failure" : code < 600 ? "Server Failure" : "Global Failure",
    };
}
