namespace MediaServer.Rtc.Codecs;

/// <summary>Creates encoders and decoders by RTP encoding name (RFC 3551, RFC 7587), choosing the Opus library.</summary>
public static class AudioCodecFactory
{
    /// <summary>Picks the Opus library that <paramref name="wanted"/> resolves to on this machine.</summary>
    public static OpusImplementation Resolve(OpusImplementation wanted) => wanted switch
    {
        OpusImplementation.Auto => NativeOpus.IsAvailable ? OpusImplementation.Native : OpusImplementation.Concentus,
        _ => wanted,
    };

    /// <summary>An Opus encoder from the chosen library.</summary>
    public static IAudioEncoder CreateOpusEncoder(OpusEncoderOptions options, OpusImplementation implementation = OpusImplementation.Auto) =>
        Resolve(implementation) == OpusImplementation.Native ? new NativeOpusEncoder(options) : new ConcentusOpusEncoder(options);

    /// <summary>An Opus decoder from the chosen library.</summary>
    public static IAudioDecoder CreateOpusDecoder(int sampleRate = 48000, int channels = 1, OpusImplementation implementation = OpusImplementation.Auto) =>
        Resolve(implementation) == OpusImplementation.Native ? new NativeOpusDecoder(sampleRate, channels) : new ConcentusOpusDecoder(sampleRate, channels);

    /// <summary>
    /// A decoder for an SDP encoding name (<c>PCMU</c>, <c>PCMA</c>, <c>opus</c>, case-insensitive), or null for
    /// one we do not decode.
    /// </summary>
    public static IAudioDecoder? CreateDecoder(string encodingName, int channels = 1, OpusImplementation implementation = OpusImplementation.Auto)
    {
        ArgumentNullException.ThrowIfNull(encodingName);
        if (encodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase))
        {
            return new G711Decoder(G711Law.MuLaw);
        }

        if (encodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase))
        {
            return new G711Decoder(G711Law.ALaw);
        }

        return encodingName.Equals("opus", StringComparison.OrdinalIgnoreCase) ? CreateOpusDecoder(48000, channels, implementation) : null;
    }

    /// <summary>An encoder for an SDP encoding name, or null for one we do not encode.</summary>
    public static IAudioEncoder? CreateEncoder(string encodingName, OpusEncoderOptions? opus = null, OpusImplementation implementation = OpusImplementation.Auto)
    {
        ArgumentNullException.ThrowIfNull(encodingName);
        if (encodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase))
        {
            return new G711Encoder(G711Law.MuLaw);
        }

        if (encodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase))
        {
            return new G711Encoder(G711Law.ALaw);
        }

        return encodingName.Equals("opus", StringComparison.OrdinalIgnoreCase) ? CreateOpusEncoder(opus ?? new OpusEncoderOptions(), implementation) : null;
    }
}
