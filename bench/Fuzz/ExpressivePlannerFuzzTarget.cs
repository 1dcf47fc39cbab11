using System.Text;
using MediaServer.Pipeline.Expressive;

namespace MediaServer.Fuzz;

/// <summary>
/// LLM text (model output is untrusted) through <see cref="ExpressiveSpeechPlanner"/>, cut into pieces at
/// input-chosen points: must never throw, never put a bracket-closed tag into speech, and always keep speech free of
/// text the planner classified as a tag.
/// </summary>
public sealed class ExpressivePlannerFuzzTarget : IFuzzTarget
{
    public string Name => "expressive-planner";

    public IReadOnlyList<byte[]> Seeds { get; } =
    [
        Encoding.UTF8.GetBytes("Hello [speak softly] there [laugh] friend. [whisper] Bye."),
        Encoding.UTF8.GetBytes("[sigh] Well, [hmm] okay [very slow] now [extremely slowly] [clear throat] sorry [cough]"),
        Encoding.UTF8.GetBytes("a ]b[ [[x]] c [ ] d [laugh [sigh] e. [warm and reassuring, speaking slowly and gently] f"),
    ];

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var cut = input[0];
        var text = Encoding.UTF8.GetString(input[1..]);
        var planner = new ExpressiveSpeechPlanner();
        var step = Math.Max(1, cut % 17);
        var spoken = new StringBuilder();
        for (var i = 0; i < text.Length; i += step)
        {
            Collect(planner.Append(text.Substring(i, Math.Min(step, text.Length - i))).Segments, spoken);
        }

        Collect(planner.Complete().Segments, spoken);
        foreach (var tag in planner.UnknownTags)
        {
            if (tag.Length > 2 && spoken.ToString().Contains('[' + tag + ']', StringComparison.Ordinal))
            {
                throw new InvalidOperationException("an unknown tag reached speech");
            }
        }

        foreach (var kind in Enum.GetValues<NonVerbalKind>())
        {
            if (cut == (byte)kind) _ = NonVerbalSounds.Render(kind, 8_000 + cut * 100);
        }
    }

    private static void Collect(IReadOnlyList<ExpressiveSegment> segments, StringBuilder spoken)
    {
        foreach (var segment in segments)
        {
            if (segment is SpeakSegment speak)
            {
                if (speak.Text.Length == 0) throw new InvalidOperationException("empty speech segment");
                spoken.Append(speak.Text).Append(' ');
            }
        }
    }
}
