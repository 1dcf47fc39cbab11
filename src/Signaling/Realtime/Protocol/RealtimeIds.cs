using System.Security.Cryptography;

namespace MediaServer.Signaling.Realtime.Protocol;

/// <summary>
/// Identifiers shaped as OpenAI forms them: a type prefix (<c>event_</c>, <c>item_</c>, <c>resp_</c>, <c>sess_</c>,
/// <c>conv_</c>, <c>call_</c>, <c>rtc_</c>, <c>ek_</c>) and random base62 characters. Clients treat them as opaque.
/// </summary>
public static class RealtimeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Event() => New("event_", 22);

    public static string Item() => New("item_", 22);

    public static string Response() => New("resp_", 22);

    public static string Session() => New("sess_", 22);

    public static string Conversation() => New("conv_", 22);

    /// <summary>Inworld's back-channel acknowledgements (<c>response.backchannel.audio.*</c>).</summary>
    public static string Backchannel() => New("bc_", 22);

    public static string FunctionCall() => New("call_", 16);

    public static string Call() => New("rtc_", 32);

    /// <summary>Ephemeral client secrets are bearer credentials: 32 random characters (~190 bits).</summary>
    public static string ClientSecret() => New("ek_", 32);

    private static string New(string prefix, int length)
    {
        return string.Create(prefix.Length + length, prefix, static (span, p) =>
        {
            p.AsSpan().CopyTo(span);
            var rest = span[p.Length..];
            for (int i = 0; i < rest.Length; i++)
            {
                rest[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
    }
}
