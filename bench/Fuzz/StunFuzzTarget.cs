using System.Net;
using MediaServer.Rtc.Ice;
using MediaServer.Rtc.Stun;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Fuzz;

/// <summary>STUN parser, attribute accessors and the ICE-lite agent's check handling (RFC 5769 vectors as seeds).</summary>
public sealed class StunFuzzTarget : IFuzzTarget
{
    private static readonly IceCredentials Local = new("evtj", "VOkJxbRl1RmTxUk/WvJxBt");
    private readonly IceLiteAgent _agent = new(Local, "h6vY", "remotepasswordremotepa", new NullSender(), TimeProvider.System, new IceOptions(), NullLogger.Instance);
    private readonly SocketAddress _source = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();

    public string Name => "stun";

    public IReadOnlyList<byte[]> Seeds { get; } =
    [
        Convert.FromHexString("000100582112A442B7E7A701BC34D686FA87DFAE802200105354554E207465737420636C69656E74002400046E0001FF80290008932FF9B151263B36000600096576746A3A68367659202020000800149AEAA70CBFD8CB56781EF2B5B2D3F249C1B571A280280004E57A3BCF"),
        Convert.FromHexString("0101003C2112A442B7E7A701BC34D686FA87DFAE8022000B7465737420766563746F7220002000080001A147E112A643000800142B91F599FD9E90C38C7489F92AF9BA53F06BE7D780280004C07D4C96"),
        Convert.FromHexString("010100482112A442B7E7A701BC34D686FA87DFAE8022000B7465737420766563746F7220002000140002A1470113A9FAA5D3F179BC25F4B5BED2B9D900080014A382954E4BE67BF11784C97C8292C275BFE3ED4180280004C8FB0B4C"),
    ];

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        if (StunMessage.TryParse(input, out var message) != StunParseError.None)
        {
            return;
        }

        _ = message.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBt"u8);
        _ = message.VerifyFingerprint();
        _ = message.TryGetXorMappedAddress(out _);
        _ = message.TryGetPriority(out _);
        _ = message.TryGetErrorCode(out _);
        _ = message.TryGetTieBreaker(StunAttributeType.IceControlling, out _);
        _ = message.UsernameString;
        _agent.HandleStun(message, _source);
    }

    private sealed class NullSender : IDatagramSender
    {
        public void Send(ReadOnlySpan<byte> datagram, SocketAddress destination)
        {
        }
    }
}
