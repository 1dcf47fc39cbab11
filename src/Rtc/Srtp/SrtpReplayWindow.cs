namespace MediaServer.Rtc.Srtp;

/// <summary>
/// Sliding replay window over packet indices (RFC 3711 section 3.3.2): 64 entries, the minimum the RFC sets.
/// <see cref="Check"/> before authentication, <see cref="Accept"/> only after it succeeds.
/// </summary>
internal struct SrtpReplayWindow
{
    private const int Size = 64;
    private ulong _highest;
    private ulong _bitmap;
    private bool _started;

    public readonly SrtpError Check(ulong index)
    {
        if (!_started || index > _highest)
        {
            return SrtpError.None;
        }

        ulong delta = _highest - index;
        if (delta >= Size)
        {
            return SrtpError.ReplayTooOld;
        }

        return (_bitmap & (1UL << (int)delta)) != 0 ? SrtpError.ReplayDuplicate : SrtpError.None;
    }

    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _bitmap = 1;
            return;
        }

        if (index > _highest)
        {
            ulong shift = index - _highest;
            _bitmap = shift >= Size ? 1 : (_bitmap << (int)shift) | 1;
            _highest = index;
        }
        else
        {
            _bitmap |= 1UL << (int)(_highest - index);
        }
    }
}
