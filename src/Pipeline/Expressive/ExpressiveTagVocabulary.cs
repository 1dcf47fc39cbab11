using System.Collections.Frozen;
using System.Text;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Expressive;

/// <summary>
/// The tags the speech path understands, after Inworld TTS-2's steering tags (REALTIME-PROTOCOL.md §6.5): a tag is a
/// free-form, case-insensitive direction in square brackets. Matching is by keyword so free-form tags work too
/// (<c>[warm and reassuring, speaking slowly and gently]</c> is slower and softer).
/// <list type="table">
/// <listheader><term>Keywords</term><description>Effect (factors of neutral rate / pitch / volume)</description></listheader>
/// <item><term>soft, softly, quiet, quietly, gentle, gently</term><description>volume ×0.55</description></item>
/// <item><term>whisper, whispering, hushed</term><description>whisper voice (espeak-ng <c>+whisper</c>), volume ×0.6 (a whisper is quiet)</description></item>
/// <item><term>excited, excitedly, enthusiastic, cheerful, happy, playful(ly), thrilled</term><description>rate ×1.15, pitch ×1.2, volume ×1.25</description></item>
/// <item><term>sad, sadly, sorrowful, melancholy, gloomy, mournful</term><description>rate ×0.85, pitch ×0.88, volume ×0.75</description></item>
/// <item><term>angry, angrily, force, forceful(ly), rage, furious(ly), annoyed</term><description>rate ×1.1, volume ×1.4</description></item>
/// <item><term>slow, slowly, deliberate(ly), leisurely</term><description>rate ×0.75</description></item>
/// <item><term>quick, quickly, fast, rapid(ly), hurried(ly)</term><description>rate ×1.35</description></item>
/// <item><term>low, deep</term><description>pitch ×0.8</description></item>
/// <item><term>high, rising, squeaky</term><description>pitch ×1.2</description></item>
/// <item><term>loud, loudly, louder, shout(ing), yell(ing)</term><description>volume ×1.5</description></item>
/// <item><term>anxious, nervous, terrified, scared, fearful, panicked</term><description>rate ×1.15, pitch ×1.15</description></item>
/// <item><term>concerned, worried</term><description>rate ×0.95, pitch ×1.05, volume ×0.9</description></item>
/// <item><term>calm, calmly, reassuring, warm, warmly, soothing</term><description>rate ×0.92, volume ×0.85</description></item>
/// <item><term>neutral, normal(ly), conversational(ly), natural(ly)</term><description>neutral (ends an earlier direction)</description></item>
/// </list>
/// <c>very</c>, <c>really</c>, <c>super</c> before a keyword strengthen it (factor^1.7), <c>extremely</c>, <c>incredibly</c>
/// more (factor^2.4): <c>[very slow]</c> is rate ×0.61, <c>[extremely slowly]</c> ×0.5. Each group counts once per tag;
/// groups combine by multiplying. Non-verbal tags (<c>[sigh]</c>, <c>[laugh]</c>, <c>[hmm]</c>, <c>[breathe]</c>,
/// <c>[clear throat]</c>, <c>[cough]</c>, and short variants such as <c>[laughs softly]</c>, <c>[deep breath]</c>,
/// <c>[clears throat]</c>) are sounds, not directions. Anything else is <see cref="ExpressiveTagKind.Unknown"/>.
/// </summary>
public static class ExpressiveTagVocabulary
{
    /// <summary>A tag of at most this many words that names a sound is that sound (<c>[sighs heavily]</c>).</summary>
    public const int MaxNonVerbalWords = 4;

    /// <summary>Canonical steering tags, for the system prompt that teaches the model the vocabulary.</summary>
    public static IReadOnlyList<string> SteeringExamples { get; } =
    [
        "speak softly", "whisper", "excited", "sad", "angry", "slowly", "quickly", "in a low tone", "say in a high pitch",
        "in a loud voice", "very quiet", "say with force", "sound concerned", "warm and reassuring", "neutral",
    ];

    /// <summary>Canonical non-verbal tags, for the system prompt.</summary>
    public static IReadOnlyList<string> NonVerbalExamples { get; } = ["sigh", "laugh", "hmm", "breathe", "clear throat", "cough"];

    private sealed record Group(double Rate, double Pitch, double Volume, bool Whisper = false);

    private static readonly Group Soft = new(1, 1, 0.55), Whisper = new(1, 1, 0.6, true),
        Excited = new(1.15, 1.2, 1.25), Sad = new(0.85, 0.88, 0.75), Angry = new(1.1, 1, 1.4),
        Slow = new(0.75, 1, 1), Quick = new(1.35, 1, 1), Low = new(1, 0.8, 1), High = new(1, 1.2, 1),
        Loud = new(1, 1, 1.5), Anxious = new(1.15, 1.15, 1), Concerned = new(0.95, 1.05, 0.9),
        Calm = new(0.92, 1, 0.85), Neutral = new(1, 1, 1);

    private static readonly FrozenDictionary<string, Group> SteeringWords = new Dictionary<string, Group>(StringComparer.Ordinal)
    {
        ["soft"] = Soft, ["softly"] = Soft, ["quiet"] = Soft, ["quietly"] = Soft, ["gentle"] = Soft, ["gently"] = Soft,
        ["whisper"] = Whisper, ["whispering"] = Whisper, ["whispered"] = Whisper, ["whispers"] = Whisper, ["hushed"] = Whisper,
        ["excited"] = Excited, ["excitedly"] = Excited, ["enthusiastic"] = Excited, ["enthusiastically"] = Excited,
        ["cheerful"] = Excited, ["cheerfully"] = Excited, ["happy"] = Excited, ["happily"] = Excited,
        ["playful"] = Excited, ["playfully"] = Excited, ["thrilled"] = Excited,
        ["sad"] = Sad, ["sadly"] = Sad, ["sorrowful"] = Sad, ["melancholy"] = Sad, ["gloomy"] = Sad, ["mournful"] = Sad,
        ["angry"] = Angry, ["angrily"] = Angry, ["force"] = Angry, ["forceful"] = Angry, ["forcefully"] = Angry,
        ["rage"] = Angry, ["furious"] = Angry, ["furiously"] = Angry, ["annoyed"] = Angry,
        ["slow"] = Slow, ["slowly"] = Slow, ["deliberate"] = Slow, ["deliberately"] = Slow, ["leisurely"] = Slow,
        ["quick"] = Quick, ["quickly"] = Quick, ["fast"] = Quick, ["rapid"] = Quick, ["rapidly"] = Quick,
        ["hurried"] = Quick, ["hurriedly"] = Quick,
        ["low"] = Low, ["deep"] = Low,
        ["high"] = High, ["rising"] = High, ["squeaky"] = High,
        ["loud"] = Loud, ["loudly"] = Loud, ["louder"] = Loud, ["shout"] = Loud, ["shouting"] = Loud, ["yell"] = Loud, ["yelling"] = Loud,
        ["anxious"] = Anxious, ["nervous"] = Anxious, ["terrified"] = Anxious, ["scared"] = Anxious, ["fearful"] = Anxious, ["panicked"] = Anxious,
        ["concerned"] = Concerned, ["worried"] = Concerned,
        ["calm"] = Calm, ["calmly"] = Calm, ["reassuring"] = Calm, ["warm"] = Calm, ["warmly"] = Calm, ["soothing"] = Calm,
        ["neutral"] = Neutral, ["normal"] = Neutral, ["normally"] = Neutral, ["conversational"] = Neutral,
        ["conversationally"] = Neutral, ["natural"] = Neutral, ["naturally"] = Neutral,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, double> Intensifiers = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["very"] = 1.7, ["really"] = 1.7, ["super"] = 1.7, ["extremely"] = 2.4, ["incredibly"] = 2.4,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, NonVerbalKind> SoundWords = new Dictionary<string, NonVerbalKind>(StringComparer.Ordinal)
    {
        ["sigh"] = NonVerbalKind.Sigh, ["sighs"] = NonVerbalKind.Sigh, ["sighing"] = NonVerbalKind.Sigh,
        ["laugh"] = NonVerbalKind.Laugh, ["laughs"] = NonVerbalKind.Laugh, ["laughing"] = NonVerbalKind.Laugh,
        ["laughter"] = NonVerbalKind.Laugh, ["chuckle"] = NonVerbalKind.Laugh, ["chuckles"] = NonVerbalKind.Laugh,
        ["giggle"] = NonVerbalKind.Laugh, ["giggles"] = NonVerbalKind.Laugh, ["haha"] = NonVerbalKind.Laugh,
        ["mhm"] = NonVerbalKind.Hmm, ["umm"] = NonVerbalKind.Hmm, ["um"] = NonVerbalKind.Hmm, ["hum"] = NonVerbalKind.Hmm, ["hums"] = NonVerbalKind.Hmm,
        ["breathe"] = NonVerbalKind.Breathe, ["breath"] = NonVerbalKind.Breathe, ["breathes"] = NonVerbalKind.Breathe,
        ["breathing"] = NonVerbalKind.Breathe, ["inhale"] = NonVerbalKind.Breathe, ["inhales"] = NonVerbalKind.Breathe,
        ["exhale"] = NonVerbalKind.Breathe, ["exhales"] = NonVerbalKind.Breathe, ["gasp"] = NonVerbalKind.Breathe, ["gasps"] = NonVerbalKind.Breathe,
        ["throat"] = NonVerbalKind.ClearThroat, ["ahem"] = NonVerbalKind.ClearThroat,
        ["cough"] = NonVerbalKind.Cough, ["coughs"] = NonVerbalKind.Cough, ["coughing"] = NonVerbalKind.Cough,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Classifies a tag (without its brackets). Never throws; empty or odd input is <see cref="ExpressiveTagKind.Unknown"/>.</summary>
    public static ExpressiveTag Classify(string? tag)
    {
        var text = tag ?? string.Empty;
        var words = Words(text);
        if (words.Count == 0) return new ExpressiveTag(text, ExpressiveTagKind.Unknown);

        if (words.Count <= MaxNonVerbalWords)
        {
            foreach (var word in words)
            {
                if (TryGetSound(word, out var sound)) return new ExpressiveTag(text, ExpressiveTagKind.NonVerbal, Sound: sound);
            }
        }

        double rate = 1, pitch = 1, volume = 1;
        var whisper = false;
        var matched = false;
        var seen = new HashSet<Group>();
        for (var i = 0; i < words.Count; i++)
        {
            if (!SteeringWords.TryGetValue(words[i], out var group) || !seen.Add(group)) continue;
            matched = true;
            var power = i > 0 && Intensifiers.TryGetValue(words[i - 1], out var p) ? p : 1;
            rate *= Math.Pow(group.Rate, power);
            pitch *= Math.Pow(group.Pitch, power);
            volume *= Math.Pow(group.Volume, power);
            whisper |= group.Whisper;
        }

        if (!matched) return new ExpressiveTag(text, ExpressiveTagKind.Unknown);
        var style = new SpeechStyle(SpeechRates.ClampFactor(rate), SpeechRates.ClampFactor(pitch), SpeechRates.ClampFactor(volume), whisper);
        return new ExpressiveTag(text, ExpressiveTagKind.Steering, Style: style);
    }

    /// <summary>A short guide to the vocabulary for a system prompt (no user data in it).</summary>
    public static string DescribeForPrompt()
    {
        var guide = new StringBuilder();
        guide.Append("You may direct your voice with tags in square brackets placed before the words they affect; a tag lasts until the next one. ");
        guide.Append("Delivery tags: ");
        guide.AppendJoin(", ", SteeringExamples.Select(t => $"[{t}]"));
        guide.Append(". Sounds at that point in your reply: ");
        guide.AppendJoin(", ", NonVerbalExamples.Select(t => $"[{t}]"));
        guide.Append(". Tags are never spoken or shown; use them sparingly.");
        return guide.ToString();
    }

    private static bool TryGetSound(string word, out NonVerbalKind sound)
    {
        if (SoundWords.TryGetValue(word, out sound)) return true;
        if (IsHum(word))
        {
            sound = NonVerbalKind.Hmm;
            return true;
        }

        return false;
    }

    /// <summary><c>hm</c>, <c>hmm</c>, <c>hmmm</c>, <c>mm</c>, <c>mmm</c>.</summary>
    private static bool IsHum(string word)
    {
        var start = word.StartsWith('h') ? 1 : 0;
        var ms = word.Length - start;
        if (ms < 1 || (start == 0 && ms < 2)) return false;
        for (var i = start; i < word.Length; i++)
        {
            if (word[i] != 'm') return false;
        }

        return true;
    }

    /// <summary>Lower-case words; anything but letters and apostrophes separates words.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetter(c) || c == '\'')
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }
}
