using System.Text.Json;

namespace MediaServer.Pipeline.Profile;

/// <summary>
/// The paralinguistic profile of one user utterance, in the shape Inworld's Realtime API carries under
/// <c>conversation.item.input_audio_transcription.completed.providerData.voiceProfile</c>
/// (REALTIME-PROTOCOL.md §6.4): one array of <c>{label, confidence}</c> per dimension, sorted by descending
/// confidence. <c>speaking_rate</c> is our extra key (the schema allows extra keys); we spell
/// <c>vocal_style</c> as the realtime client types do.
/// </summary>
public sealed class VoiceProfile
{
    /// <summary>The label for a dimension we cannot honestly estimate (no model): confidence 0.</summary>
    public const string Unknown = "unknown";

    private static readonly VoiceLabel[] s_unknown = [new(Unknown, 0)];

    public VoiceProfile(
        IReadOnlyList<VoiceLabel> emotion,
        IReadOnlyList<VoiceLabel> vocalStyle,
        IReadOnlyList<VoiceLabel> pitch,
        IReadOnlyList<VoiceLabel> speakingRate,
        VoiceFeatures features,
        IReadOnlyList<VoiceLabel>? age = null,
        IReadOnlyList<VoiceLabel>? accent = null,
        IReadOnlyDictionary<string, IReadOnlyList<VoiceLabel>>? extra = null)
    {
        Emotion = Sorted(emotion);
        VocalStyle = Sorted(vocalStyle);
        Pitch = Sorted(pitch);
        SpeakingRate = Sorted(speakingRate);
        Age = Sorted(age ?? s_unknown);
        Accent = Sorted(accent ?? s_unknown);
        Features = features;
        var sortedExtra = new SortedDictionary<string, IReadOnlyList<VoiceLabel>>(StringComparer.Ordinal);
        if (extra is not null)
        {
            foreach (var (name, labels) in extra) sortedExtra[name] = Sorted(labels);
        }

        Extra = sortedExtra;
    }

    /// <summary>The dimensions every profile carries, in the order they are written (<see cref="WriteTo"/>).</summary>
    public static IReadOnlyList<string> StandardDimensions { get; } = ["emotion", "vocal_style", "pitch", "speaking_rate", "age", "accent"];

    public IReadOnlyList<VoiceLabel> Emotion { get; }

    public IReadOnlyList<VoiceLabel> VocalStyle { get; }

    public IReadOnlyList<VoiceLabel> Pitch { get; }

    public IReadOnlyList<VoiceLabel> SpeakingRate { get; }

    /// <summary>Always <c>unknown</c>/0 from the acoustic profiler: age needs a trained model.</summary>
    public IReadOnlyList<VoiceLabel> Age { get; }

    /// <summary>Always <c>unknown</c>/0 from the acoustic profiler: accent needs a trained model.</summary>
    public IReadOnlyList<VoiceLabel> Accent { get; }

    /// <summary>Further dimensions a configured classifier produced (for example <c>gender</c>), by name, written after
    /// the standard ones in name order. Empty from the acoustic profiler.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<VoiceLabel>> Extra { get; }

    /// <summary>The measurements behind the labels.</summary>
    public VoiceFeatures Features { get; }

    /// <summary>The labels of a dimension by its wire name (<c>vocalStyle</c> is read as <c>vocal_style</c>), or null.</summary>
    public IReadOnlyList<VoiceLabel>? Dimension(string name) => Canonical(name) switch
    {
        "emotion" => Emotion,
        "vocal_style" => VocalStyle,
        "pitch" => Pitch,
        "speaking_rate" => SpeakingRate,
        "age" => Age,
        "accent" => Accent,
        var other => Extra.TryGetValue(other, out var labels) ? labels : null,
    };

    /// <summary>
    /// A copy whose dimension <paramref name="name"/> holds <paramref name="labels"/> instead (a trained classifier
    /// replacing the heuristic); an unknown name adds an extra dimension. Features stay as measured.
    /// </summary>
    public VoiceProfile WithDimension(string name, IReadOnlyList<VoiceLabel> labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(labels);
        var key = Canonical(name);
        var extra = new Dictionary<string, IReadOnlyList<VoiceLabel>>(Extra, StringComparer.Ordinal);
        if (!StandardDimensions.Contains(key)) extra[key] = labels;
        return new VoiceProfile(
            key == "emotion" ? labels : Emotion,
            key == "vocal_style" ? labels : VocalStyle,
            key == "pitch" ? labels : Pitch,
            key == "speaking_rate" ? labels : SpeakingRate,
            Features,
            key == "age" ? labels : Age,
            key == "accent" ? labels : Accent,
            extra);
    }

    /// <summary>The spelling we write: Inworld's STT API says <c>vocalStyle</c>, its realtime types <c>vocal_style</c>.</summary>
    public static string Canonical(string name) => name switch
    {
        "vocalStyle" => "vocal_style",
        "speakingRate" => "speaking_rate",
        _ => name,
    };

    /// <summary>The top label of a dimension (lists are never empty).</summary>
    public static string Top(IReadOnlyList<VoiceLabel> labels) => labels.Count == 0 ? Unknown : labels[0].Label;

    /// <summary>
    /// Writes the profile object, e.g. <c>{"emotion":[{"label":"neutral","confidence":0.6}],"vocal_style":[...],
    /// "pitch":[...],"speaking_rate":[...],"age":[{"label":"unknown","confidence":0}],"accent":[...]}</c>.
    /// Confidences are rounded to two decimals.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteDimension(writer, "emotion", Emotion);
        WriteDimension(writer, "vocal_style", VocalStyle);
        WriteDimension(writer, "pitch", Pitch);
        WriteDimension(writer, "speaking_rate", SpeakingRate);
        WriteDimension(writer, "age", Age);
        WriteDimension(writer, "accent", Accent);
        foreach (var (name, labels) in Extra) WriteDimension(writer, name, labels);
        writer.WriteEndObject();
    }

    /// <summary>A compact one-line note for the LLM's context, e.g.
    /// <c>voice: emotion=neutral(0.5) style=soft(0.8) pitch=high(0.7) rate=fast(0.9)</c>; unknown dimensions omitted.</summary>
    public string ToContextNote()
    {
        var parts = new List<string>(4);
        Add("emotion", Emotion);
        Add("style", VocalStyle);
        Add("pitch", Pitch);
        Add("rate", SpeakingRate);
        Add("age", Age);
        Add("accent", Accent);
        foreach (var (name, labels) in Extra) Add(name, labels);
        return parts.Count == 0 ? "voice: unknown" : "voice: " + string.Join(' ', parts);

        void Add(string name, IReadOnlyList<VoiceLabel> labels)
        {
            if (labels.Count == 0 || labels[0].Confidence <= 0) return;
            parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}={labels[0].Label}({labels[0].Confidence:0.0#})"));
        }
    }

    private static void WriteDimension(Utf8JsonWriter writer, string name, IReadOnlyList<VoiceLabel> labels)
    {
        writer.WriteStartArray(name);
        foreach (var label in labels)
        {
            writer.WriteStartObject();
            writer.WriteString("label", label.Label);
            writer.WriteNumber("confidence", Math.Round(label.Confidence, 2));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static VoiceLabel[] Sorted(IReadOnlyList<VoiceLabel> labels)
    {
        if (labels.Count == 0) return [new(Unknown, 0)];
        var copy = new VoiceLabel[labels.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            var c = labels[i].Confidence;
            copy[i] = labels[i] with { Confidence = double.IsNaN(c) ? 0 : Math.Clamp(c, 0, 1) };
        }

        // Stable, descending by confidence.
        return [.. copy.Select((l, i) => (l, i)).OrderByDescending(t => t.l.Confidence).ThenBy(t => t.i).Select(t => t.l)];
    }
}
