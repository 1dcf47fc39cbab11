using System.Security.Cryptography;

namespace MediaServer.Rtc.Ice;

/// <summary>
/// Random ICE credentials (RFC 8445 section 5.3): ufrag at least 24 bits and password at least 128 bits of
/// randomness, drawn from the ice-char set (ALPHA / DIGIT / "+" / "/", RFC 8839 section 5.4).
/// </summary>
public sealed record IceCredentials(string Ufrag, string Password)
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>New credentials: 8-char ufrag (48 bits), 24-char password (144 bits).</summary>
    public static IceCredentials Generate() => new(RandomString(8), RandomString(24));

    private static string RandomString(int length) => RandomNumberGenerator.GetString(IceChars, length);
}
