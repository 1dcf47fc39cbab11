namespace MediaServer.Pipeline.Tts.EspeakNg;

/// <summary>Options of the espeak-ng engine.</summary>
public sealed class EspeakNgOptions
{
    /// <summary>Voice for unknown names (default <c>en-us</c>, espeak-ng's American English).</summary>
    public string DefaultVoice { get; set; } = "en-us";

    /// <summary>Words per minute at speed 1 (espeak-ng's own default is 175).</summary>
    public int WordsPerMinute { get; set; } = 175;

    /// <summary><c>espeak-ng-data</c> folder, or null for the library's built-in path.</summary>
    public string? DataPath { get; set; }
}
