using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transport;
using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Transactions;

/// <summary>
/// The transport and transaction layers joined: receives framed bytes from every transport, parses them (never
/// throwing), answers malformed requests with 400/505 when a response is possible, applies received/rport
/// (RFC 3261 §18.2.1, RFC 3581 §4), matches transactions (§17.1.3, §17.2.3) and hands the rest to the
/// <see cref="ISipCore"/>. One lock (<see cref="SyncRoot"/>) serialises all SIP state; timers share one
/// <see cref="SipTimerQueue"/>.
/// </summary>
public sealed class SipStack : IAsyncDisposable
{
    private readonly Dictionary<string, SipServerTransaction> _server = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SipClientTransaction> _client = new(StringComparer.Ordinal);
    private readonly List<ISipTransport> _transports = [];
    private readonly ILogger _logger;
    private ISipCore? _core;

    public SipStack(TimeProvider time, SipTimerOptions timers, SipParserLimits limits, ILogger logger)
    {
        Time = time;
        Timers = timers;
        Limits = limits;
        _logger = logger;
        TimerQueue = new SipTimerQueue(time, SyncRoot);
    }

    /// <summary>The lock every SIP state change happens under.</summary>
    public object SyncRoot { get; } = new();

    public TimeProvider Time { get; }

    public SipTimerOptions Timers { get; }

    public SipParserLimits Limits { get; }

    public SipTimerQueue TimerQueue { get; }

    public SipStackCounters Counters { get; } = new();

    /// <summary>Optional source filter (allow-list); false drops the message silently.</summary>
    public Func<IPAddress, bool>? SourceFilter { get; set; }

    /// <summary>Live server transactions.</summary>
    public int ServerTransactionCount
    {
        get
        {
            lock (SyncRoot)
            {
                return _server.Count;
            }
        }
    }

    /// <summary>Live client transactions.</summary>
    public int ClientTransactionCount
    {
        get
        {
            lock (SyncRoot)
            {
                return _client.Count;
            }
        }
    }

    /// <summary>Transports added so far.</summary>
    public IReadOnlyList<ISipTransport> Transports => _transports;

    /// <summary>Adds a transport and starts receiving on it.</summary>
    public void AddTransport(ISipTransport transport)
    {
        _transports.Add(transport);
        transport.Start(OnReceived);
    }

    /// <summary>Sets the transaction user.</summary>
    public void SetCore(ISipCore core) => _core = core;

    /// <summary>The transport for a Via/URI transport name (UDP when absent).</summary>
    public ISipTransport? FindTransport(string? protocol) =>
        _transports.FirstOrDefault(t => string.Equals(t.Protocol, protocol ?? "UDP", StringComparison.OrdinalIgnoreCase)) ?? _transports.FirstOrDefault();

    /// <summary>A new RFC 3261 §8.1.1.7 branch: magic cookie plus 64 random bits.</summary>
    public static string NewBranch() => SipVia.MagicCookie + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A random tag (RFC 3261 §19.3: at least 32 bits of randomness).</summary>
    public static string NewTag() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>
    /// Sends a request in a new client transaction. A top Via (with a fresh branch and rport) is added unless the
    /// request already has one (CANCEL reuses the INVITE's). ACK is sent without a transaction.
    /// </summary>
    public SipClientTransaction? SendRequest(SipRequest request, SipRemote remote, Action<SipResponse> onResponse)
    {
        lock (SyncRoot)
        {
            if (request.Headers.CountOf(SipHeaderNames.Via) == 0)
            {
                var via = new SipVia { Transport = remote.Transport.Protocol, Host = FormatHost(remote.Transport.LocalEndPoint.Address), Port = remote.Transport.LocalEndPoint.Port };
                via.Parameters.Add(new("branch", NewBranch()));
                via.Parameters.Add(new("rport", null));
                request.Headers.Insert(0, new SipHeader(SipHeaderNames.Via, via.ToString()));
            }

            if (request.Method == SipMethods.Ack)
            {
                remote.Transport.Send(request.ToBytes(), remote.EndPoint);
                return null;
            }

            string key = ClientKey(request.TopVia?.Branch ?? string.Empty, request.CSeq.Method);
            var tx = new SipClientTransaction(this, key, request, remote, onResponse);
            _client[key] = tx;
            tx.Start();
            return tx;
        }
    }

    /// <summary>Formats an address for Via/Contact (IPv6 in brackets).</summary>
    public static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();

    /// <summary>The INVITE server transaction a CANCEL refers to (same branch, RFC 3261 §9.2).</summary>
    public SipServerTransaction? FindInviteFor(SipRequest cancel)
    {
        string key = ServerKey(cancel, SipMethods.Invite);
        return _server.GetValueOrDefault(key);
    }

    internal void Remove(SipServerTransaction tx) => _server.Remove(tx.Key);

    internal void Remove(SipClientTransaction tx) => _client.Remove(tx.Key);

    /// <summary>
    /// Sends response bytes: over a stream on the same connection; over UDP to received/rport of the top Via
    /// (RFC 3261 §18.2.2, RFC 3581 §4), which this stack set from the packet source.
    /// </summary>
    internal void SendResponseBytes(byte[] bytes, SipRequest request, SipRemote remote)
    {
        if (remote.IsReliable || request.TopVia is not { } via)
        {
            remote.Transport.Send(bytes, remote.EndPoint);
            return;
        }

        IPAddress address = via.Parameters.Get("received") is { } r && IPAddress.TryParse(r.Trim('[', ']'), out var ra) ? ra
            : IPAddress.TryParse(via.Host.Trim('[', ']'), out var ha) ? ha : remote.EndPoint.Address;
        int port = via.Parameters.Get("rport") is { } rp && int.TryParse(rp, NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p
            : via.Port ?? 5060;
        remote.Transport.Send(bytes, new IPEndPoint(address, port));
    }

    /// <summary>Receive path for every transport. Never throws.</summary>
    internal void OnReceived(ISipTransport transport, IPEndPoint source, ReadOnlySpan<byte> data)
    {
        Counters.OnReceived();
        if (SourceFilter is { } filter && !filter(source.Address))
        {
            Counters.OnDropped();
            SipStackLog.Blocked(_logger, source.ToString());
            return;
        }

        bool ok = SipParser.TryParse(data, Limits, datagram: true, out var message, out _, out var reason);
        if (reason == SipRejectionReason.KeepAlive)
        {
            return;
        }

        var remote = new SipRemote(transport, source);
        if (!ok)
        {
            if (message is SipRequest bad && bad.Method != SipMethods.Ack && bad.Headers.CountOf(SipHeaderNames.Via) > 0)
            {
                Counters.OnRejected();
                SipStackLog.Rejected(_logger, source.ToString(), reason);
                int status = SipRejectionReasons.StatusCode(reason);
                var response = SipResponseFactory.Create(bad, status, status == 400 ? "Bad Request - " + SipRejectionReasons.Describe(reason) : null);
                transport.Send(response.ToBytes(), source);
            }
            else
            {
                Counters.OnDropped();
                SipStackLog.Dropped(_logger, source.ToString(), reason);
            }

            return;
        }

        lock (SyncRoot)
        {
            if (message is SipRequest request)
            {
                OnRequest(request, remote);
            }
            else if (message is SipResponse response)
            {
                OnResponse(response, remote);
            }
        }
    }

    private void OnRequest(SipRequest request, SipRemote remote)
    {
        // RFC 3261 §18.2.1 received, RFC 3581 §4 rport: record where the request really came from.
        var via = request.TopVia!;
        string sourceHost = remote.EndPoint.Address.ToString();
        bool changed = false;
        if (via.Host.Trim('[', ']') != sourceHost || via.Parameters.Has("rport"))
        {
            via.Parameters.Set("received", sourceHost);
            changed = true;
        }

        if (via.Parameters.Has("rport"))
        {
            via.Parameters.Set("rport", remote.EndPoint.Port.ToString(CultureInfo.InvariantCulture));
            changed = true;
        }

        if (changed)
        {
            request.ReplaceTopVia(via);
        }

        string method = request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method;
        string key = ServerKey(request, method);
        if (_server.TryGetValue(key, out var existing))
        {
            if (request.Method == SipMethods.Ack)
            {
                existing.OnAck();
                if (existing.FinalStatus is >= 200 and < 300)
                {
                    _core?.OnAck(request, remote);
                }
            }
            else
            {
                Counters.OnRetransmission();
                existing.OnRetransmission();
            }

            return;
        }

        if (request.Method == SipMethods.Ack)
        {
            // ACK for a 2xx has its own branch (RFC 3261 §13.2.2.4): stop the 2xx retransmissions of the INVITE.
            foreach (var tx in _server.Values)
            {
                if (tx.IsInvite && tx.State == SipTransactionState.Accepted && tx.Request.CallId == request.CallId && tx.Request.CSeq.Number == request.CSeq.Number)
                {
                    tx.OnAck();
                    break;
                }
            }

            _core?.OnAck(request, remote);
            return;
        }

        var created = new SipServerTransaction(this, key, request, remote);
        _server[key] = created;
        if (_core is null)
        {
            created.Respond(503);
            return;
        }

        _core.OnRequest(created);
    }

    private void OnResponse(SipResponse response, SipRemote remote)
    {
        string key = ClientKey(response.TopVia?.Branch ?? string.Empty, response.CSeq.Method);
        if (_client.TryGetValue(key, out var tx))
        {
            tx.OnResponseReceived(response);
            return;
        }

        _core?.OnStrayResponse(response, remote);
    }

    private static string ClientKey(string branch, string method) => branch + "|" + method;

    /// <summary>
    /// RFC 3261 §17.2.3: branch + sent-by + method when the branch has the magic cookie, else the RFC 2543 tuple
    /// (Request-URI, From tag, Call-ID, CSeq number, top Via).
    /// </summary>
    private static string ServerKey(SipRequest request, string method)
    {
        var via = request.TopVia!;
        string? branch = via.Branch;
        string sentBy = via.Host + ":" + (via.Port?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        if (branch is not null && branch.StartsWith(SipVia.MagicCookie, StringComparison.Ordinal) && branch.Length > SipVia.MagicCookie.Length)
        {
            return branch + "|" + sentBy + "|" + method;
        }

        return string.Join('|', "2543", request.From?.Tag, request.CallId, request.CSeq.Number.ToString(CultureInfo.InvariantCulture), sentBy, branch, method);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var t in _transports)
        {
            await t.DisposeAsync().ConfigureAwait(false);
        }

        TimerQueue.Dispose();
    }
}
