using System.Net;
using MediaServer.Rtc.Clock;
using MediaServer.SipBridge;
using MediaServer.SipBridge.Calls;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;
using MediaServer.SipBridge.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Fuzz;

/// <summary>
/// The whole receive path on mutated messages: parser, received/rport, transaction matching, the UAS core
/// (OPTIONS, INVITE with SDP negotiation and session timers answered 480 as no application is attached, CANCEL,
/// in-dialog requests) and response serialisation, seeded like <see cref="SipMessageFuzzTarget"/>. The stack is
/// rebuilt every few thousand inputs so lingering transactions do not pile up.
/// </summary>
public sealed class SipStackFuzzTarget : IFuzzTarget
{
    private static readonly IPEndPoint Peer = new(IPAddress.Loopback, 5070);
    private readonly MediaClock _clock = new();
    private readonly NullTransport _transport = new();
    private SipStack? _stack;
    private int _uses;

    public string Name => "sipstack";

    public IReadOnlyList<byte[]> Seeds { get; } = new SipMessageFuzzTarget().Seeds;

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        if (_stack is null || ++_uses > 5000)
        {
            _stack?.TimerQueue.Dispose();
            _stack = new SipStack(TimeProvider.System, new SipTimerOptions(), SipParserLimits.Default, NullLogger.Instance);
            _stack.SetCore(new SipUserAgent(_stack, new SipOptions(), _clock, NullLoggerFactory.Instance));
            _transport.Attach(_stack);
            _uses = 0;
        }

        _transport.Deliver(input);
    }

    private sealed class NullTransport : ISipTransport
    {
        private SipMessageReceived? _onMessage;

        public string Protocol => "UDP";

        public bool IsReliable => false;

        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 5060);

        public void Attach(SipStack stack) => stack.AddTransport(this);

        public void Deliver(ReadOnlySpan<byte> data) => _onMessage?.Invoke(this, Peer, data);

        public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote)
        {
        }

        public void Start(SipMessageReceived onMessage) => _onMessage = onMessage;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
