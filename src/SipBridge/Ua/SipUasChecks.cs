using MediaServer.SipBridge.Messages;

namespace MediaServer.SipBridge.Ua;

/// <summary>
/// The request inspections a UAS performs before acting on a well-formed request, in RFC 3261 §8.2 order:
/// method (§8.2.1: 405 known-but-not-allowed, 501 unknown), Request-URI scheme (§8.2.2.1: 416), Require
/// (§8.2.2.3: 420), body type (§8.2.3: 415) and Accept (§21.4.7: 406, RFC 4475 §3.3.15).
/// </summary>
public static class SipUasChecks
{
    /// <summary>Methods this UAS handles; advertised in Allow.</summary>
    public static readonly string[] AllowedMethods =
        [SipMethods.Invite, SipMethods.Ack, SipMethods.Bye, SipMethods.Cancel, SipMethods.Options, SipMethods.Info,
         SipMethods.Refer, SipMethods.Notify, SipMethods.Update];

    /// <summary>Option tags we support (RFC 4028 timer, RFC 3515 REFER via norefersub not used).</summary>
    public static readonly string[] SupportedExtensions = ["timer", "replaces"];

    private static readonly string[] KnownMethods =
        [SipMethods.Invite, SipMethods.Ack, SipMethods.Bye, SipMethods.Cancel, SipMethods.Options, SipMethods.Register,
         SipMethods.Info, SipMethods.Update, SipMethods.Refer, SipMethods.Notify, SipMethods.Subscribe, SipMethods.Message,
         SipMethods.Prack, "PUBLISH"];

    /// <summary>The comma-separated Allow value.</summary>
    public static string AllowHeader => string.Join(", ", AllowedMethods);

    /// <summary>
    /// Returns 0 when the request may be processed, else the status code to answer with; <paramref name="unsupported"/>
    /// lists the option tags for a 420's Unsupported header.
    /// </summary>
    public static int Check(SipRequest request, out string? unsupported)
    {
        unsupported = null;
        if (request.Method == SipMethods.Ack)
        {
            return 0;
        }

        if (Array.IndexOf(AllowedMethods, request.Method) < 0)
        {
            return Array.IndexOf(KnownMethods, request.Method) >= 0 ? 405 : 501;
        }

        if (!request.Uri.IsSip && request.Uri.Scheme != "tel")
        {
            return 416;
        }

        if (request.Method != SipMethods.Cancel)
        {
            var required = request.Headers.GetValues(SipHeaderNames.Require);
            var missing = required.Where(t => t.Length > 0 && !SupportedExtensions.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
            {
                unsupported = string.Join(", ", missing);
                return 420;
            }
        }

        if (request.Body.Length > 0 && request.Method is SipMethods.Invite or SipMethods.Update
            && request.ContentType is { } type && type != "application/sdp" && type != "multipart/mixed")
        {
            return 415;
        }

        if (request.Method is SipMethods.Invite or SipMethods.Options && request.Headers.CountOf(SipHeaderNames.Accept) > 0)
        {
            var accepted = request.Headers.GetValues(SipHeaderNames.Accept).Select(a => a.Split(';')[0].Trim().ToLowerInvariant()).ToList();
            if (accepted.Count > 0 && !accepted.Any(a => a is "application/sdp" or "application/*" or "*/*" or ""))
            {
                return 406;
            }
        }

        return 0;
    }
}
