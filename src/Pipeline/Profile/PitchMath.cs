namespace MediaServer.Pipeline.Profile;

/// <summary>Semitone conversions (relative to 1 Hz): perceived pitch is logarithmic in frequency.</summary>
internal static class PitchMath
{
    public static double HzToSemitones(double hz) => 12.0 * Math.Log2(hz);

    public static double SemitonesToHz(double st) => Math.Pow(2, st / 12.0);
}
