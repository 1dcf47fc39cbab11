namespace MediaServer.Pipeline.Tts;

/// <summary>Limits shared by the engines.</summary>
internal static class SpeechRates
{
    /// <summary>The Realtime API's <c>audio.output.speed</c> range.</summary>
    public const double MinSpeed = 0.25, MaxSpeed = 1.5;

    public static double Clamp(double speed) => double.IsFinite(speed) && speed > 0 ? Math.Clamp(speed, MinSpeed, MaxSpeed) : 1;

    /// <summary>Style factors (rate, pitch, volume) are kept within 0.25x to 4x: beyond that speech is unusable.</summary>
    public static double ClampFactor(double factor) => double.IsFinite(factor) && factor > 0 ? Math.Clamp(factor, 0.25, 4) : 1;
}
