using System.Security.Cryptography;

namespace MediaServer.SipBridge.Calls;

/// <summary>Realtime call ids for SIP calls: <c>rtc_</c> + 32 random hex digits (128 bits, unguessable).</summary>
public static class SipCallIds
{
    public static string New() => "rtc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
