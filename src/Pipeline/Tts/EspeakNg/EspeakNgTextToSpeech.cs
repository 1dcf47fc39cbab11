using System.Globalization;
using System.Text;

namespace MediaServer.Pipeline.Tts.EspeakNg;

/// <summary>
/// Offline speech through Debian's espeak-ng 1.51, 22,050 Hz mono. Each sentence goes in as SSML so a
/// <see cref="SpeechStyle"/> maps onto <c>&lt;prosody rate pitch volume&gt;</c>; whispering uses espeak-ng's
/// <c>+whisper</c>/<c>+whisperf</c> voice variants. <see cref="SpeechRequest.Speed"/> sets the base words per
/// minute (espeak-ng's floor of 80 wpm limits the slowest speeds). Streams sentence by sentence; cancellation also
/// aborts the sentence being rendered.
/// </summary>
public sealed class EspeakNgTextToSpeech(EspeakNgOptions? options = null) : ITextToSpeech
{
    public const int OutputSampleRate = 22_050;

    /// <summary>espeak-ng's accepted words-per-minute range.</summary>
    private const int MinWordsPerMinute = 80, MaxWordsPerMinute = 450;

    private readonly EspeakNgOptions _options = options ?? new EspeakNgOptions();

    public string Name => "espeak-ng";

    public int SampleRate => OutputSampleRate;

    /// <summary>The espeak-ng voice that <paramref name="voice"/> resolves to.</summary>
    public string ResolveVoice(string? voice, bool whisper = false) => EspeakNgVoices.Resolve(voice, _options.DefaultVoice, whisper);

    public IAsyncEnumerable<ReadOnlyMemory<short>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var style = request.Style ?? new SpeechStyle();
        var voice = ResolveVoice(request.Voice, style.Whisper);
        var wpm = (int)Math.Clamp(Math.Round(_options.WordsPerMinute * SpeechRates.Clamp(request.Speed)), MinWordsPerMinute, MaxWordsPerMinute);
        var dataPath = _options.DataPath;
        return SentenceStreamer.StreamAsync(
            SentenceSplitter.Split(request.Text),
            (sentence, token) => EspeakNgRuntime.SynthesizeAsync(dataPath, voice, wpm, ToSsml(sentence, style), token),
            cancellationToken);
    }

    /// <summary>One sentence as SSML, with the style as prosody percentages of the voice's neutral delivery.</summary>
    internal static string ToSsml(string sentence, SpeechStyle style)
    {
        var ssml = new StringBuilder("<speak><prosody");
        ssml.Append(CultureInfo.InvariantCulture, $" rate=\"{Percent(style.RateFactor)}%\"");
        ssml.Append(CultureInfo.InvariantCulture, $" pitch=\"{Percent(style.PitchFactor)}%\"");
        ssml.Append(CultureInfo.InvariantCulture, $" volume=\"{Percent(style.VolumeFactor)}%\">");
        foreach (var c in sentence)
        {
            _ = c switch
            {
                '<' => ssml.Append("&lt;"),
                '>' => ssml.Append("&gt;"),
                '&' => ssml.Append("&amp;"),
                '"' => ssml.Append("&quot;"),
                '\'' => ssml.Append("&apos;"),
                _ when char.IsControl(c) => ssml.Append(' '),
                _ => ssml.Append(c),
            };
        }

        return ssml.Append("</prosody></speak>").ToString();
    }

    private static int Percent(double factor) => (int)Math.Round(SpeechRates.ClampFactor(factor) * 100);
}
