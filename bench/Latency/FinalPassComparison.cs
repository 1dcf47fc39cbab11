using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Stt.Pocketsphinx;

namespace MediaServer.Latency;

/// <summary>
/// What each <see cref="PocketsphinxFinalPass"/> costs at the turn end and what it gets right: every sentence said by
/// three flite voices, then jfk.wav (once the decoder has adapted), through one decoder per setting; the turn end's CPU
/// is the calling thread's (so a busy machine does not inflate it) and the word error rate is against the script.
/// Usage: dotnet run -c Release --project bench/Latency -- final-pass
/// </summary>
internal static partial class FinalPassComparison
{
    private static readonly string[] Sentences =
    [
        "What time does the pharmacy close today?", "Can you book a table for two at seven?", "I would like to cancel my subscription.",
        "Please send the invoice to my email address.", "I would like to order a large pizza and a bottle of lemonade.",
        "My flight was delayed so I missed the connection.", "I am calling because my internet stopped working.",
        "I was thinking um maybe we could meet on Friday.", "It is about the order I mean the one I placed yesterday.",
        "I need eggs, milk, butter and some bread.", "Could you send it to the office instead of my home?",
        "I want to travel to Boston next week.", "Thanks, that works for me.", "Can you also send me a confirmation?",
        "Please tell me a short joke.", "Can you tell me the weather in London?", "What time is it?",
    ];

    private const string JfkScript = "and so my fellow americans ask not what your country can do for you ask what you can do for your country";

    public static void Run(string sharedModels, Func<string, string, short[]> flite16k)
    {
        var clips = new List<(string Text, short[] Pcm)>();
        foreach (var voice in new[] { "slt", "rms", "awb" })
        {
            clips.AddRange(Sentences.Select(s => (s, flite16k(s, voice))));
        }

        var jfk = Wav16k(Path.Combine(sharedModels, "jfk-wav", "jfk.wav"));
        Console.WriteLine("| `FinalPass` | turn-end CPU, mean over the sentences (ms) | turn-end CPU, jfk.wav (ms) | word error rate, sentences | word error rate, jfk.wav (adapted) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var pass in Enum.GetValues<PocketsphinxFinalPass>())
        {
            using var decoder = PocketsphinxDecoder.Create(new PocketsphinxOptions { FinalPass = pass });
            int errors = 0, words = 0;
            double endCpu = 0;
            foreach (var (text, pcm) in clips)
            {
                var (hypothesis, cpu) = Decode(decoder, pcm);
                endCpu += cpu;
                errors += Edits(Words(text), Words(hypothesis));
                words += Words(text).Length;
            }

            Decode(decoder, jfk); // the first pass over real speech adapts the channel normalisation
            var (jfkText, jfkCpu) = Decode(decoder, jfk);
            double jfkWer = Edits(Words(JfkScript), Words(jfkText)) / (double)Words(JfkScript).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {pass} | {1000 * endCpu / clips.Count:0} | {1000 * jfkCpu:0} | {100.0 * errors / words:0.0} % | {100 * jfkWer:0} % |"));
        }
    }

    /// <summary>Decodes with 250 ms of silence either side, as a VAD-cut turn has; returns the transcript and the turn end's CPU seconds.</summary>
    private static (string Text, double EndCpuSeconds) Decode(PocketsphinxDecoder decoder, short[] speech)
    {
        var pcm = new short[speech.Length + 8000];
        speech.CopyTo(pcm, 4000);
        decoder.StartUtterance();
        for (int offset = 0; offset < pcm.Length; offset += 1600)
        {
            decoder.Process(pcm.AsSpan(offset, Math.Min(1600, pcm.Length - offset)));
        }

        double start = ThreadCpuSeconds();
        decoder.EndUtterance();
        string text = decoder.Hypothesis().Trim();
        return (text, ThreadCpuSeconds() - start);
    }

    private static string[] Words(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.', '?', '!', '-'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Word-level edit distance (substitutions, insertions, deletions).</summary>
    private static int Edits(string[] reference, string[] hypothesis)
    {
        var previous = Enumerable.Range(0, hypothesis.Length + 1).ToArray();
        for (int i = 1; i <= reference.Length; i++)
        {
            var current = new int[hypothesis.Length + 1];
            current[0] = i;
            for (int j = 1; j <= hypothesis.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[hypothesis.Length];
    }

    private static short[] Wav16k(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int data = 12;
        while (!file.AsSpan(data, 4).SequenceEqual("data"u8))
        {
            data += 8 + BitConverter.ToInt32(file, data + 4);
        }

        var pcm = new short[Math.Min(BitConverter.ToInt32(file, data + 4), file.Length - data - 8) / 2];
        Pcm16.ToShorts(file.AsSpan(data + 8, pcm.Length * 2), pcm);
        return pcm;
    }

    private static double ThreadCpuSeconds()
    {
        const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID (Linux)
        ClockGetTime(ClockThreadCpuTime, out var now);
        return now.Seconds + (now.Nanoseconds / 1e9);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
