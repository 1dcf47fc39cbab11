namespace MediaServer.Pipeline.Profile.Onnx;

/// <summary>
/// Voice profile settings (configuration section <c>MediaServer:VoiceProfile</c>). Each entry of
/// <see cref="Classifiers"/> names a profile dimension (<c>emotion</c>, <c>age</c>, <c>accent</c>, <c>pitch</c>,
/// <c>vocal_style</c>, <c>speaking_rate</c>, or a new one such as <c>gender</c>) whose labels an ONNX model then
/// gives instead of the heuristic rules.
/// </summary>
public sealed class VoiceProfileOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "MediaServer:VoiceProfile";

    /// <summary>Classifiers by dimension name.</summary>
    public Dictionary<string, ProfileClassifierOptions> Classifiers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One ONNX classifier: <c>MediaServer:VoiceProfile:Classifiers:&lt;dimension&gt;</c>.</summary>
public sealed class ProfileClassifierOptions
{
    /// <summary>Path of the <c>.onnx</c> file (relative paths resolve against the working directory). Required.</summary>
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Label of each model output, in output order; its count must match the output's last dimension. Required.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>
    /// What the model reads: <c>features</c> (default: the float [1, 11] <see cref="VoiceFeatureVector"/>) or
    /// <c>waveform16k</c> (the turn's speech as float [1, samples] at 16 kHz in −1..1).
    /// </summary>
    public string Input { get; set; } = ProfileClassifierInput.Features;

    /// <summary>Input tensor name; default: the model's only (or first) input.</summary>
    public string? InputName { get; set; }

    /// <summary>Output tensor name; default: the model's first output.</summary>
    public string? OutputName { get; set; }

    /// <summary>
    /// How to read the output: <c>logits</c> (softmax applied), <c>probabilities</c> (used as they are, clamped), or
    /// <c>auto</c> (default: used as probabilities when they are all in 0..1 and sum to 1 ± 0.01, else softmax).
    /// </summary>
    public string Output { get; set; } = "auto";

    /// <summary>Labels kept per dimension, best first (Inworld limits the list by top-N). Default 3.</summary>
    public int TopN { get; set; } = 3;

    /// <summary>Labels under this confidence are dropped (the best one is always kept). Default 0.05.</summary>
    public double MinConfidence { get; set; } = 0.05;

    /// <summary>Longest waveform given to a <c>waveform16k</c> model: its first seconds. Default 30 s.</summary>
    public double MaxWaveformSeconds { get; set; } = 30;
}

/// <summary>The input kinds a profile classifier may read.</summary>
public static class ProfileClassifierInput
{
    public const string Features = "features";

    public const string Waveform16k = "waveform16k";
}
