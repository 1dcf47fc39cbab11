namespace MediaServer.Rtc.Sctp;

/// <summary>Serial number arithmetic (RFC 1982) for 32-bit TSNs and 16-bit SSNs, as RFC 9260 section 1.6 requires.</summary>
internal static class SctpSerial
{
    public static bool Lt(uint a, uint b) => a != b && (int)(a - b) < 0;

    public static bool Le(uint a, uint b) => a == b || (int)(a - b) < 0;

    public static bool Gt(uint a, uint b) => a != b && (int)(a - b) > 0;

    public static bool Ge(uint a, uint b) => a == b || (int)(a - b) > 0;

    public static bool Lt16(ushort a, ushort b) => a != b && (short)(a - b) < 0;

    /// <summary>Orders TSNs by serial arithmetic (valid while all lie within 2^31 of each other).</summary>
    public sealed class TsnComparer : IComparer<uint>
    {
        public static readonly TsnComparer Instance = new();

        public int Compare(uint x, uint y) => x == y ? 0 : (int)(x - y) < 0 ? -1 : 1;
    }

    /// <summary>Orders SSNs by serial arithmetic.</summary>
    public sealed class SsnComparer : IComparer<ushort>
    {
        public static readonly SsnComparer Instance = new();

        public int Compare(ushort x, ushort y) => x == y ? 0 : (short)(x - y) < 0 ? -1 : 1;
    }
}
