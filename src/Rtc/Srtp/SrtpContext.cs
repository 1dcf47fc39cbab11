using System.Buffers.Binary;
using MediaServer.Rtc.Dtls;

namespace MediaServer.Rtc.Srtp;

/// <summary>
/// One direction of SRTP/SRTCP (RFC 3711, RFC 7714): the session keys of one master key and the per-SSRC rollover
/// counters and replay windows. Packets are transformed in place in the caller's buffer; nothing is allocated per
/// packet. Use one context for what we send and another for what we receive; a context is not thread-safe.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    /// <summary>Most SSRCs tracked; a WebRTC audio call has one or two.</summary>
    public const int MaxStreams = 32;

    private readonly ISrtpTransform _transform;
    private readonly Dictionary<uint, SrtpStreamState> _streams = [];
    private readonly SrtpStreamState _probe = new();

    /// <summary>Creates a context from a DTLS-exported master key and salt.</summary>
    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
        : this(profile == SrtpProfile.AeadAes128Gcm
            ? new SrtpAesGcmTransform(masterKey, masterSalt)
            : new SrtpAesCmTransform(masterKey, masterSalt))
    {
        Profile = profile;
    }

    internal SrtpContext(ISrtpTransform transform) => _transform = transform;

    /// <summary>The protection profile.</summary>
    public SrtpProfile Profile { get; }

    /// <summary>Bytes added to an RTP packet: the buffer must have this much room after the packet.</summary>
    public int RtpOverhead => _transform.RtpOverhead;

    /// <summary>Bytes added to an RTCP packet.</summary>
    public int RtcpOverhead => _transform.RtcpOverhead;

    /// <summary>Packets refused because the tag did not verify.</summary>
    public long AuthenticationFailures { get; private set; }

    /// <summary>Packets refused as replays.</summary>
    public long ReplaysDropped { get; private set; }

    /// <summary>Encrypts and tags the RTP packet in <c>buffer[..length]</c>; the result is <paramref name="protectedLength"/> bytes.</summary>
    public SrtpError ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        var error = ReadRtpHeader(buffer[..Math.Min(length, buffer.Length)], out int headerLength, out uint ssrc, out ushort seq);
        if (error != SrtpError.None)
        {
            return error;
        }

        if (buffer.Length < length + RtpOverhead)
        {
            return SrtpError.BufferTooSmall;
        }

        var state = GetOrCreate(ssrc);
        if (state is null)
        {
            return SrtpError.BadHeader;
        }

        state.EstimateIndex(seq, out uint roc);
        state.Update(seq, roc);
        protectedLength = length + RtpOverhead;
        _transform.ProtectRtp(buffer[..protectedLength], headerLength, ssrc, seq, roc);
        return SrtpError.None;
    }

    /// <summary>Verifies and decrypts the SRTP packet in <c>buffer[..length]</c>; the RTP packet is <paramref name="rtpLength"/> bytes.</summary>
    public SrtpError UnprotectRtp(Span<byte> buffer, int length, out int rtpLength)
    {
        rtpLength = 0;
        if (length > buffer.Length || length < 12 + RtpOverhead)
        {
            return SrtpError.TooShort;
        }

        int plainLength = length - RtpOverhead;
        var error = ReadRtpHeader(buffer[..plainLength], out int headerLength, out uint ssrc, out ushort seq);
        if (error != SrtpError.None)
        {
            return error;
        }

        var state = Lookup(ssrc);
        ulong index = state.EstimateIndex(seq, out uint roc);
        if (state.Started)
        {
            var replay = state.RtpReplay.Check(index);
            if (replay != SrtpError.None)
            {
                ReplaysDropped++;
                return replay;
            }
        }

        if (!_transform.UnprotectRtp(buffer[..length], headerLength, ssrc, seq, roc))
        {
            AuthenticationFailures++;
            return SrtpError.AuthenticationFailed;
        }

        state = ReferenceEquals(state, _probe) ? GetOrCreate(ssrc) : state;
        if (state is null)
        {
            return SrtpError.BadHeader;
        }

        state.RtpReplay.Accept(index);
        state.Update(seq, roc);
        rtpLength = plainLength;
        return SrtpError.None;
    }

    /// <summary>Encrypts and tags the RTCP compound packet in <c>buffer[..length]</c>.</summary>
    public SrtpError ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (length < 8 || length > buffer.Length)
        {
            return SrtpError.TooShort;
        }

        if (buffer.Length < length + RtcpOverhead)
        {
            return SrtpError.BufferTooSmall;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        var state = GetOrCreate(ssrc);
        if (state is null)
        {
            return SrtpError.BadHeader;
        }

        uint index = state.NextRtcpIndex;
        state.NextRtcpIndex = (index + 1) & 0x7FFFFFFFu;
        protectedLength = length + RtcpOverhead;
        _transform.ProtectRtcp(buffer[..protectedLength], ssrc, index);
        return SrtpError.None;
    }

    /// <summary>Verifies and decrypts the SRTCP packet in <c>buffer[..length]</c>.</summary>
    public SrtpError UnprotectRtcp(Span<byte> buffer, int length, out int rtcpLength)
    {
        rtcpLength = 0;
        if (length > buffer.Length || length < 8 + RtcpOverhead)
        {
            return SrtpError.TooShort;
        }

        var packet = buffer[..length];
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        uint index = _transform.ReadRtcpIndex(packet, out bool encrypted);
        var state = Lookup(ssrc);
        var replay = state.RtcpReplay.Check(index);
        if (replay != SrtpError.None)
        {
            ReplaysDropped++;
            return replay;
        }

        if (!_transform.UnprotectRtcp(packet, ssrc, index, encrypted))
        {
            AuthenticationFailures++;
            return SrtpError.AuthenticationFailed;
        }

        state = ReferenceEquals(state, _probe) ? GetOrCreate(ssrc) : state;
        if (state is null)
        {
            return SrtpError.BadHeader;
        }

        state.RtcpReplay.Accept(index);
        rtcpLength = length - RtcpOverhead;
        return SrtpError.None;
    }

    /// <inheritdoc/>
    public void Dispose() => _transform.Dispose();

    /// <summary>Fixed header, CSRCs and extension length (RFC 3550 section 5.1 and 5.3.1).</summary>
    internal static SrtpError ReadRtpHeader(ReadOnlySpan<byte> packet, out int headerLength, out uint ssrc, out ushort seq)
    {
        headerLength = 0;
        ssrc = 0;
        seq = 0;
        if (packet.Length < 12)
        {
            return SrtpError.TooShort;
        }

        if (packet[0] >> 6 != 2)
        {
            return SrtpError.BadHeader;
        }

        int length = 12 + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (length + 4 > packet.Length)
            {
                return SrtpError.BadHeader;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        if (length > packet.Length)
        {
            return SrtpError.BadHeader;
        }

        headerLength = length;
        seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        return SrtpError.None;
    }

    /// <summary>The stream's state, or a reset probe for an SSRC not seen yet (created only once authenticated).</summary>
    private SrtpStreamState Lookup(uint ssrc)
    {
        if (_streams.TryGetValue(ssrc, out var state))
        {
            return state;
        }

        _probe.Started = false;
        _probe.Roc = 0;
        _probe.HighestSeq = 0;
        _probe.RtpReplay = default;
        _probe.RtcpReplay = default;
        return _probe;
    }

    private SrtpStreamState? GetOrCreate(uint ssrc)
    {
        if (_streams.TryGetValue(ssrc, out var state))
        {
            return state;
        }

        if (_streams.Count >= MaxStreams)
        {
            return null;
        }

        state = new SrtpStreamState();
        _streams[ssrc] = state;
        return state;
    }
}
