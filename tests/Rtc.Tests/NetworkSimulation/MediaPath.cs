using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Tests.NetworkSimulation;

/// <summary>Runs audio through encoder, RTP, the simulated network, the jitter buffer and the decoder.</summary>
internal static class MediaPath
{
    public sealed record Result(short[] Output, JitterBufferStatistics Statistics, List<(double TimeMs, double CurrentMs, double TargetMs)> Trace, int NetworkLost);

    /// <summary>Encodes <paramref name="pcm"/> in 20 ms frames into RTP packets.</summary>
    public static List<byte[]> Packetize(ReadOnlySpan<short> pcm, IAudioEncoder encoder, byte payloadType, uint ssrc = 0x1234)
    {
        int frame = encoder.SampleRate / 50 * encoder.Channels;
        uint tsStep = (uint)(encoder.RtpClockRate / 50);
        var packets = new List<byte[]>();
        var payload = new byte[1500];
        var buffer = new byte[1600];
        ushort seq = 65000; // wraps during the run on purpose
        uint ts = uint.MaxValue - (50 * tsStep); // timestamps wrap too
        for (int i = 0; i + frame <= pcm.Length; i += frame)
        {
            int n = encoder.Encode(pcm.Slice(i, frame), payload);
            var header = new RtpHeader { PayloadType = payloadType, SequenceNumber = seq++, Timestamp = ts, Ssrc = ssrc, Marker = i == 0 };
            ts += tsStep;
            var packet = new RtpPacket(header, payload.AsSpan(0, n));
            packets.Add(buffer.AsSpan(0, packet.Write(buffer)).ToArray());
        }

        return packets;
    }

    /// <summary>Delivers packets through the network and pulls one frame every 20 ms of receiver time.</summary>
    public static Result Run(IReadOnlyList<byte[]> packets, NetworkConditions conditions, JitterBuffer buffer, int seed, double extraMs = 0)
    {
        var network = new NetworkSimulator(conditions, seed);
        var arrivals = network.Transmit(packets);
        int frame = buffer.FrameSamples * buffer.Channels;
        double endMs = arrivals.Count == 0 ? 0 : arrivals[^1].ArrivalMs + extraMs;
        var output = new short[((int)(endMs / 20) + 1) * frame];
        var trace = new List<(double, double, double)>();
        int next = 0;
        int tick = 0;
        for (double now = 0; now <= endMs; now += 20, tick++)
        {
            while (next < arrivals.Count && arrivals[next].ArrivalMs <= now)
            {
                buffer.Push(arrivals[next].Packet, TimeSpan.FromMilliseconds(arrivals[next].ArrivalMs));
                next++;
            }

            buffer.Pull(output.AsSpan(tick * frame, frame), TimeSpan.FromMilliseconds(now));
            trace.Add((now, buffer.CurrentDelayMs, buffer.TargetDelayMs));
        }

        return new Result(output, buffer.Statistics, trace, network.Lost);
    }

    /// <summary>Median of the buffer's delay estimate over the second half of the run (the settled state).</summary>
    public static double SettledDelayMs(Result result)
    {
        var values = result.Trace.Skip(result.Trace.Count / 2).Select(t => t.CurrentMs).Order().ToList();
        return values[values.Count / 2];
    }

    /// <summary>Repeats <paramref name="pcm"/> to at least <paramref name="seconds"/>.</summary>
    public static short[] Loop(short[] pcm, int sampleRate, double seconds)
    {
        int length = (int)(sampleRate * seconds);
        var result = new short[length];
        for (int i = 0; i < length; i += pcm.Length)
        {
            pcm.AsSpan(0, Math.Min(pcm.Length, length - i)).CopyTo(result.AsSpan(i));
        }

        return result;
    }
}
