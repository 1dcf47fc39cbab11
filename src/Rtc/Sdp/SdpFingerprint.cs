using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Rtc.Sdp;

/// <summary>
/// A certificate fingerprint from <c>a=fingerprint:&lt;hash-func&gt; &lt;hex:hex:...&gt;</c> (RFC 8122 section 5).
/// DTLS checks the peer certificate against it (RFC 5763 section 5); a mismatch ends the call.
/// </summary>
public sealed class SdpFingerprint
{
    private SdpFingerprint(string algorithm, byte[] value)
    {
        Algorithm = algorithm;
        Value = value;
    }

    /// <summary>Hash function name in lower case: <c>sha-1</c>, <c>sha-256</c>, <c>sha-384</c> or <c>sha-512</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The digest bytes.</summary>
    public byte[] Value { get; }

    /// <summary>Builds the fingerprint of a DER certificate with <paramref name="algorithm"/>.</summary>
    public static SdpFingerprint Compute(string algorithm, ReadOnlySpan<byte> derCertificate)
    {
        var digest = Hash(algorithm, derCertificate) ?? throw new ArgumentException("Unsupported fingerprint hash.", nameof(algorithm));
        return new SdpFingerprint(algorithm.ToLowerInvariant(), digest);
    }

    /// <summary>Parses the attribute value; false for unknown hash functions or bad hex.</summary>
    public static bool TryParse(string? text, out SdpFingerprint fingerprint)
    {
        fingerprint = null!;
        if (text is null)
        {
            return false;
        }

        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            return false;
        }

        string algorithm = parts[0].ToLowerInvariant();
        int expected = DigestLength(algorithm);
        if (expected == 0)
        {
            return false;
        }

        var hex = parts[1].Split(':');
        if (hex.Length != expected)
        {
            return false;
        }

        var value = new byte[expected];
        for (int i = 0; i < expected; i++)
        {
            if (hex[i].Length != 2 || !byte.TryParse(hex[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value[i]))
            {
                return false;
            }
        }

        fingerprint = new SdpFingerprint(algorithm, value);
        return true;
    }

    /// <summary>True when <paramref name="derCertificate"/> hashes to this fingerprint (constant-time compare).</summary>
    public bool Matches(ReadOnlySpan<byte> derCertificate)
    {
        var digest = Hash(Algorithm, derCertificate);
        return digest is not null && CryptographicOperations.FixedTimeEquals(digest, Value);
    }

    /// <summary>The attribute value: <c>sha-256 AB:CD:...</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Algorithm.Length + (Value.Length * 3));
        sb.Append(Algorithm).Append(' ');
        for (int i = 0; i < Value.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(':');
            }

            sb.Append(Value[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static int DigestLength(string algorithm) => algorithm switch
    {
        "sha-1" => 20,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => 0,
    };

    private static byte[]? Hash(string algorithm, ReadOnlySpan<byte> data) => algorithm.ToLowerInvariant() switch
    {
#pragma warning disable CA5350 // SHA-1 fingerprints are still legal in RFC 8122; we only verify them, never offer them.
        "sha-1" => SHA1.HashData(data),
#pragma warning restore CA5350
        "sha-256" => SHA256.HashData(data),
        "sha-384" => SHA384.HashData(data),
        "sha-512" => SHA512.HashData(data),
        _ => null,
    };
}
