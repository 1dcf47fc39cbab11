using System.Net;
using System.Text;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transport;

namespace MediaServer.SipBridge.Tests;

/// <summary>An in-memory transport: records what is sent, injects what is "received".</summary>
internal sealed class FakeSipTransport(string protocol = "UDP") : ISipTransport
{
    private SipMessageReceived? _onMessage;

    public List<(byte[] Bytes, IPEndPoint Remote)> Sent { get; } = [];

    public string Protocol => protocol;

    public bool IsReliable => protocol != "UDP";

    public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 5060);

    public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote)
    {
        lock (Sent)
        {
            Sent.Add((message.ToArray(), remote));
        }
    }

    public void Start(SipMessageReceived onMessage) => _onMessage = onMessage;

    public void Inject(string text, IPEndPoint remote) => _onMessage!(this, remote, Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal)));

    public List<SipMessage> SentMessages()
    {
        lock (Sent)
        {
            return Sent.Select(s => SipParser.TryParse(s.Bytes, out var m, out _) ? m! : throw new InvalidOperationException("unparseable output")).ToList();
        }
    }

    public List<SipResponse> SentResponses() => SentMessages().OfType<SipResponse>().ToList();

    public List<SipRequest> SentRequests() => SentMessages().OfType<SipRequest>().ToList();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
