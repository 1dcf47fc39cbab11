using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;

namespace MediaServer.SipBridge.Dialogs;

/// <summary>
/// Dialog state (RFC 3261 §12): Call-ID, local and remote tags, CSeq counters, local/remote URI, remote target
/// and route set. Built on the UAS side from an INVITE (§12.1.1) or on the UAC side from a 2xx (§12.1.2); it
/// builds in-dialog requests (§12.2.1.1) and checks in-dialog requests' CSeq order (§12.2.2).
/// </summary>
public sealed class SipDialog
{
    private long _localSeq;

    private SipDialog(string callId, string localTag, string? remoteTag, SipNameAddress localUri, SipNameAddress remoteUri, SipUri remoteTarget, SipRemote remote)
    {
        CallId = callId;
        LocalTag = localTag;
        RemoteTag = remoteTag;
        LocalUri = localUri;
        RemoteUri = remoteUri;
        RemoteTarget = remoteTarget;
        Remote = remote;
    }

    public string CallId { get; }

    public string LocalTag { get; }

    public string? RemoteTag { get; private set; }

    /// <summary>Our address (From of our requests), without tag.</summary>
    public SipNameAddress LocalUri { get; }

    /// <summary>The peer's address (To of our requests), without tag.</summary>
    public SipNameAddress RemoteUri { get; }

    /// <summary>Where in-dialog requests go: the peer's Contact (updated by target refreshes, §12.2.2).</summary>
    public SipUri RemoteTarget { get; private set; }

    /// <summary>Route set, in the order our requests carry it.</summary>
    public List<SipNameAddress> RouteSet { get; } = [];

    /// <summary>Last CSeq number received from the peer (-1 before any).</summary>
    public long RemoteSeq { get; private set; } = -1;

    /// <summary>Next CSeq number we will use minus one.</summary>
    public long LocalSeq => _localSeq;

    /// <summary>The transport and address the dialog was established over (fallback destination).</summary>
    public SipRemote Remote { get; }

    /// <summary>Our Contact URI.</summary>
    public SipUri? LocalContact { get; set; }

    /// <summary>Key used to find the dialog for an in-dialog request: Call-ID + our tag.</summary>
    public string Key => KeyOf(CallId, LocalTag);

    /// <summary>Key for lookups.</summary>
    public static string KeyOf(string? callId, string? localTag) => callId + "|" + localTag;

    /// <summary>UAS dialog from an INVITE and our 2xx (RFC 3261 §12.1.1): route set = Record-Route in order.</summary>
    public static SipDialog FromUas(SipRequest invite, string localTag, SipRemote remote)
    {
        var from = invite.From!;
        var to = invite.To!;
        var remoteUri = from.Clone();
        remoteUri.Tag = null;
        var localUri = to.Clone();
        localUri.Tag = null;
        var dialog = new SipDialog(invite.CallId!, localTag, from.Tag, localUri, remoteUri, invite.Contact?.Uri ?? from.Uri, remote)
        {
            RemoteSeq = invite.CSeq.Number,
        };
        var routes = new List<SipNameAddress>();
        foreach (var h in invite.Headers.Where(h => SipText.NameEquals(h.Name, SipHeaderNames.RecordRoute)))
        {
            SipNameAddress.TryParseList(h.Value, routes, out _);
        }

        dialog.RouteSet.AddRange(routes);
        return dialog;
    }

    /// <summary>UAC dialog from our INVITE and its 2xx (RFC 3261 §12.1.2): route set = Record-Route reversed.</summary>
    public static SipDialog FromUac(SipRequest invite, SipResponse ok, SipRemote remote)
    {
        var from = invite.From!;
        var to = ok.To!;
        var localUri = from.Clone();
        localUri.Tag = null;
        var remoteUri = to.Clone();
        remoteUri.Tag = null;
        var dialog = new SipDialog(invite.CallId!, from.Tag!, to.Tag, localUri, remoteUri, ok.Contact?.Uri ?? invite.Uri, remote)
        {
            _localSeq = invite.CSeq.Number,
        };
        var routes = new List<SipNameAddress>();
        foreach (var h in ok.Headers.Where(h => SipText.NameEquals(h.Name, SipHeaderNames.RecordRoute)))
        {
            SipNameAddress.TryParseList(h.Value, routes, out _);
        }

        routes.Reverse();
        dialog.RouteSet.AddRange(routes);
        return dialog;
    }

    /// <summary>
    /// Checks an in-dialog request's CSeq (RFC 3261 §12.2.2): lower than the last one → 500. ACK and CANCEL reuse
    /// the INVITE's number and are not checked. Returns false when out of order.
    /// </summary>
    public bool AcceptRemoteSeq(SipRequest request)
    {
        if (request.Method is SipMethods.Ack or SipMethods.Cancel)
        {
            return true;
        }

        long n = request.CSeq.Number;
        if (RemoteSeq >= 0 && n <= RemoteSeq)
        {
            return false;
        }

        RemoteSeq = n;
        return true;
    }

    /// <summary>A target refresh (re-INVITE, UPDATE) replaces the remote target with the new Contact (§12.2.2).</summary>
    public void RefreshTarget(SipRequest request)
    {
        if (request.Contact is { IsStar: false } contact)
        {
            RemoteTarget = contact.Uri;
        }
    }

    /// <summary>Builds an in-dialog request (RFC 3261 §12.2.1.1), with the next local CSeq (ACK reuses the given one).</summary>
    public SipRequest CreateRequest(string method, long? cseq = null)
    {
        var request = new SipRequest { Method = method };
        bool strictRoute = RouteSet.Count > 0 && !RouteSet[0].Uri.Parameters.Has("lr");
        IEnumerable<SipNameAddress> routes = RouteSet;
        if (strictRoute)
        {
            // Strict routing (RFC 2543 proxies): first route becomes the Request-URI, target goes last.
            request.Uri = RouteSet[0].Uri.Clone();
            routes = RouteSet.Skip(1).Append(SipNameAddress.Create(RemoteTarget));
        }
        else
        {
            request.Uri = RemoteTarget.Clone();
        }

        var from = LocalUri.Clone();
        from.Tag = LocalTag;
        var to = RemoteUri.Clone();
        to.Tag = RemoteTag;
        long number = cseq ?? ++_localSeq;
        request.Headers.Add(SipHeaderNames.MaxForwards, "70");
        request.Headers.Add(SipHeaderNames.From, from.ToString());
        request.Headers.Add(SipHeaderNames.To, to.ToString());
        request.Headers.Add(SipHeaderNames.CallId, CallId);
        request.Headers.Add(SipHeaderNames.CSeq, new SipCSeq(number, method).ToString());
        foreach (var route in routes)
        {
            request.Headers.Add(SipHeaderNames.Route, route.ToString());
        }

        if (LocalContact is not null)
        {
            request.Headers.Add(SipHeaderNames.Contact, "<" + LocalContact + ">");
        }

        return request;
    }
}
