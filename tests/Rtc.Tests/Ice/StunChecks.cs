using System.Security.Cryptography;
using System.Text;
using MediaServer.Rtc.Stun;

namespace MediaServer.Rtc.Tests.Ice;

/// <summary>Builds connectivity checks the way libwebrtc does (USERNAME, ICE-CONTROLLING, PRIORITY, [USE-CANDIDATE], MI, FP).</summary>
internal static class StunChecks
{
    public static byte[] Request(string username, string password, bool useCandidate = false, ushort roleAttribute = StunAttributeType.IceControlling,
        ulong tieBreaker = 1, bool fingerprint = true)
    {
        var buffer = new byte[512];
        var w = new StunMessageWriter(buffer, StunMessageType.BindingRequest, RandomNumberGenerator.GetBytes(12));
        w.AddAttribute(StunAttributeType.Username, Encoding.UTF8.GetBytes(username));
        w.AddUInt32(0xC057, 0x00010001); // GOOG-NETWORK-INFO: unknown comprehension-optional attribute
        w.AddUInt64(roleAttribute, tieBreaker);
        w.AddUInt32(StunAttributeType.Priority, 1853824767);
        if (useCandidate)
        {
            w.AddAttribute(StunAttributeType.UseCandidate, []);
        }

        w.AddMessageIntegrity(Encoding.UTF8.GetBytes(password));
        if (fingerprint)
        {
            w.AddFingerprint();
        }

        return w.Written.ToArray();
    }
}
