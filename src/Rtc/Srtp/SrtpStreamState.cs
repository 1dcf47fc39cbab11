namespace MediaServer.Rtc.Srtp;

/// <summary>
/// Per-SSRC cryptographic state (RFC 3711 section 3.2.1): rollover counter, highest sequence number, replay
/// windows for SRTP and SRTCP, and our outbound SRTCP index.
/// </summary>
internal sealed class SrtpStreamState
{
    public uint Roc;
    public ushort HighestSeq;
    public bool Started;
    public SrtpReplayWindow RtpReplay;
    public SrtpReplayWindow RtcpReplay;
    public uint NextRtcpIndex;

    /// <summary>
    /// Guesses the packet index of <paramref name="seq"/> (RFC 3711 appendix A) and the ROC that goes with it.
    /// </summary>
    public ulong EstimateIndex(ushort seq, out uint roc)
    {
        if (!Started)
        {
            roc = 0;
            return seq;
        }

        roc = Roc;
        if (HighestSeq < 32768)
        {
            if (seq - HighestSeq > 32768)
            {
                roc = Roc == 0 ? 0 : Roc - 1;
            }
        }
        else if (HighestSeq - 32768 > seq)
        {
            roc = Roc + 1;
        }

        return ((ulong)roc << 16) | seq;
    }

    /// <summary>Advances ROC/highest seq once a packet with this index is accepted.</summary>
    public void Update(ushort seq, uint roc)
    {
        if (!Started)
        {
            Started = true;
            Roc = roc;
            HighestSeq = seq;
            return;
        }

        ulong current = ((ulong)Roc << 16) | HighestSeq;
        ulong index = ((ulong)roc << 16) | seq;
        if (index > current)
        {
            Roc = roc;
            HighestSeq = seq;
        }
    }
}
