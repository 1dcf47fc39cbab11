using System.Buffers.Binary;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Sctp;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Fuzz;

/// <summary>
/// SCTP packets into an established association with data channels. Mutated packets get the association's
/// verification tag and a valid CRC32c on half the runs so that chunk handling, not just the checksum, is fuzzed.
/// </summary>
public sealed class SctpFuzzTarget : IFuzzTarget
{
    private readonly byte[] _buffer = new byte[4200];
    private SctpAssociation _association;
    private int _runs;

    public SctpFuzzTarget()
    {
        var seeds = new List<byte[]>();
        _association = CreateEstablished(seeds);
        Seeds = seeds;
    }

    public string Name => "sctp";

    public IReadOnlyList<byte[]> Seeds { get; }

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        if (_association.State == SctpState.Terminated || ++_runs % 5000 == 0)
        {
            _association = CreateEstablished(null);
        }

        if (input.Length >= 12 && (_runs & 1) == 0)
        {
            input.CopyTo(_buffer);
            var packet = _buffer.AsSpan(0, input.Length);
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], 5000);
            BinaryPrimitives.WriteUInt32BigEndian(packet[4..], _association.LocalVerificationTag);
            SctpCrc32c.Stamp(packet);
            _association.HandlePacket(packet);
        }
        else
        {
            _association.HandlePacket(input);
        }

        _association.HandleTimers();
    }

    /// <summary>An established association (peer B) whose peer A opened a data channel; records A's packets as seeds.</summary>
    private static SctpAssociation CreateEstablished(List<byte[]>? seeds)
    {
        var toB = new Queue<byte[]>();
        var toA = new Queue<byte[]>();
        var a = new SctpAssociation(new SctpOptions(), TimeProvider.System, p => toB.Enqueue(p.ToArray()), NullLogger.Instance);
        var b = new SctpAssociation(new SctpOptions(), TimeProvider.System, p => toA.Enqueue(p.ToArray()), NullLogger.Instance);
        var channelsA = new DataChannelManager(a, DtlsRole.Client);
        _ = new DataChannelManager(b, DtlsRole.Server);
        a.Connect();
        void Pump()
        {
            while (toB.Count > 0 || toA.Count > 0)
            {
                if (toB.Count > 0)
                {
                    var p = toB.Dequeue();
                    seeds?.Add(p);
                    b.HandlePacket(p);
                }

                if (toA.Count > 0)
                {
                    a.HandlePacket(toA.Dequeue());
                }
            }
        }

        Pump();
        var channel = channelsA.Open("oai-events");
        Pump();
        channel?.SendText("{\"type\":\"hello\"}");
        channel?.SendBinary(new byte[3000]);
        Pump();
        a.ResetStream(0);
        Pump();
        return b;
    }
}
