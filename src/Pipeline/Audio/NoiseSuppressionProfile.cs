namespace MediaServer.Pipeline.Audio;

/// <summary>
/// The Realtime API's <c>audio.input.noise_reduction.type</c> (REALTIME-PROTOCOL.md §2): <c>near_field</c> for
/// close-talking microphones (headsets), <c>far_field</c> for laptop and room microphones, which pick up more noise
/// and so get deeper suppression.
/// </summary>
public sealed record NoiseSuppressionProfile(string Name, double MaxAttenuationDb)
{
    /// <summary>Headsets: noise is already low; at most 12 dB of attenuation keeps speech natural.</summary>
    public static NoiseSuppressionProfile NearField { get; } = new("near_field", 12);

    /// <summary>Laptop and room microphones: up to 20 dB.</summary>
    public static NoiseSuppressionProfile FarField { get; } = new("far_field", 20);

    /// <summary>Maps the wire value; false for anything else.</summary>
    public static bool TryParse(string? type, out NoiseSuppressionProfile profile)
    {
        switch (type)
        {
            case "near_field":
                profile = NearField;
                return true;
            case "far_field":
                profile = FarField;
                return true;
            default:
                profile = NearField;
                return false;
        }
    }
}
