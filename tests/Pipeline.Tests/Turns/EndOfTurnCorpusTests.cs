using System.Globalization;
using System.Text;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Tests.Audio;
using MediaServer.Pipeline.Tests.Turns.Corpus;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;
using Xunit.Abstractions;

namespace MediaServer.Pipeline.Tests.Turns;

/// <summary>The engines the corpus runs on, loaded once: Silero's model and a pocketsphinx decoder pool.</summary>
public sealed class EndOfTurnCorpusFixture : IDisposable
{
    public SileroVadModel Silero { get; } = new(TestAudio.SileroModelPath);

    public PocketsphinxSpeechToText Stt { get; } = new(new PocketsphinxOptions { PoolSize = 5 });

    public void Dispose()
    {
        Stt.Dispose();
        Silero.Dispose();
    }
}

/// <summary>
/// semantic_vad measured on the labelled corpus (<see cref="TurnCorpusBuilder"/>) through the real input path, per
/// eagerness and input path: precision (turns ended at a true end, not mid-thought), recall (true ends taken before
/// the user spoke again) and the median extra wait after a complete utterance. The thresholds asserted are the
/// README's "Turn-taking" table.
/// </summary>
[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class EndOfTurnCorpusTests(EndOfTurnCorpusFixture fixture, ITestOutputHelper output) : IClassFixture<EndOfTurnCorpusFixture>
{
    private static readonly Eagerness[] Eagernesses = [Eagerness.Low, Eagerness.Medium, Eagerness.High];

    /// <summary>
    /// The thresholds of the README's "Turn-taking" table, per input path and voice family. Where the recogniser
    /// understands the speech (flite over wideband), the words hold the turn; over 8 kHz telephone audio and for
    /// espeak-ng voices pocketsphinx returns mostly wrong words (MODELS.md), so there only the pitch and whatever words
    /// come through help, and the floor is "no worse than server_vad".
    /// </summary>
    private static (double Precision, double Recall) Thresholds(TurnCorpusPath path, TurnCorpusEngine engine) =>
        path == TurnCorpusPath.Wideband48k && engine == TurnCorpusEngine.Flite ? (0.75, 0.95) : (0.6, 0.95);

    /// <summary>Median extra wait after a complete utterance: the eagerness' short pause plus at most this (VAD release,
    /// the scorer's doubt on level-pitched endings).</summary>
    private const int MedianWaitSlackMs = 250;

    /// <summary>
    /// The default-run subset: one voice over the wideband path, a question and two holds that server_vad (500 ms)
    /// cuts off ("... pizza and", "... send it to the"). Every eagerness must hold both and take the question after
    /// about its short pause.
    /// </summary>
    [Fact]
    public void Semantic_vad_holds_unfinished_thoughts_that_server_vad_cuts_off()
    {
        var scripts = TurnCorpusScript.Standard.Where(s => s.Name is "question-wh" or "hold-and" or "hold-half-the").ToArray();
        var corpus = new TurnCorpusBuilder { HoldPausesMs = [1200] }
            .WithVoices(TurnCorpusVoice.Flite("slt")).WithScripts(scripts).Build();

        var scores = Report(corpus, [TurnCorpusPath.Wideband48k]);

        var serverVad = scores[(TurnCorpusPath.Wideband48k, TurnCorpusEngine.Flite, "server_vad")];
        Assert.True(serverVad.CutOffs >= 2, $"server_vad should cut both holds, cut {serverVad.CutOffs}");
        foreach (var e in Eagernesses)
        {
            var s = scores[(TurnCorpusPath.Wideband48k, TurnCorpusEngine.Flite, e.ToString())];
            Assert.True(s.CutOffs == 0, $"{e}: {string.Join("; ", s.Errors)}");
            Assert.Equal(s.Ends, s.Correct);
            // The question ends after the short pause, not the bound.
            Assert.InRange(s.MedianWaitMs, EagernessPolicy.For(e).SilenceDurationMs, EagernessPolicy.For(e).SilenceDurationMs + MedianWaitSlackMs);
        }
    }

    /// <summary>
    /// The whole corpus: every standard script, every standard voice (flite slt at three rates, rms, awb; espeak-ng
    /// at 140, 175 and 220 words per minute), over 8 kHz G.711 and 48 kHz. Prints the table and asserts the README's
    /// thresholds per eagerness, path and voice family.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Semantic_vad_meets_the_readme_thresholds_on_the_whole_corpus()
    {
        var corpus = new TurnCorpusBuilder().Build();
        var scores = Report(corpus, [TurnCorpusPath.Wideband48k, TurnCorpusPath.Telephone8k]);
        foreach (var ((path, engine, detector), s) in scores)
        {
            if (detector == "server_vad")
            {
                continue;
            }

            var (precision, recall) = Thresholds(path, engine);
            var baseline = scores[(path, engine, "server_vad")];
            string where = $"{path} {engine} {detector}";
            Assert.True(s.Precision >= precision, $"{where}: precision {s.Precision:0.00} < {precision}");
            Assert.True(s.Precision >= baseline.Precision, $"{where}: precision {s.Precision:0.00} below server_vad's {baseline.Precision:0.00}");
            Assert.True(s.Recall >= recall, $"{where}: recall {s.Recall:0.00} < {recall}");
            var policy = EagernessPolicy.For(Enum.Parse<Eagerness>(detector));
            Assert.True(s.MedianWaitMs <= policy.SilenceDurationMs + MedianWaitSlackMs, $"{where}: median wait {s.MedianWaitMs} ms");
        }
    }

    private Dictionary<(TurnCorpusPath, TurnCorpusEngine, string), TurnCorpusScore> Report(IReadOnlyList<TurnCorpusUtterance> corpus, TurnCorpusPath[] paths)
    {
        var runner = new TurnCorpusRunner(fixture.Silero, fixture.Stt);
        var scores = new Dictionary<(TurnCorpusPath, TurnCorpusEngine, string), TurnCorpusScore>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach (var path in paths)
        {
            foreach (var utterance in corpus)
            {
                var audio = utterance.At(path);
                var results = runner.Run(audio, [.. Eagernesses.Select(e => (Func<ServerVadTurnDetector>)(() => ServerVadTurnDetector.ForSemanticVad(e))), () => new ServerVadTurnDetector()]);
                for (int i = 0; i < Eagernesses.Length; i++)
                {
                    Score(scores, (path, utterance.Voice.Engine, Eagernesses[i].ToString())).Add(utterance, results[i]);
                }

                Score(scores, (path, utterance.Voice.Engine, "server_vad")).Add(utterance, results[^1]);
            }
        }

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"corpus: {corpus.Count} utterances, {started.Elapsed.TotalSeconds:0.0} s");
        table.AppendLine("| path | voices | detector | precision | recall | median wait ms | p90 wait ms | ends | holds | optional taken |");
        foreach (var ((path, engine, detector), s) in scores.OrderBy(k => k.Key.Item1).ThenBy(k => k.Key.Item2))
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {path} | {engine} | {detector} | {s.Precision:0.00} | {s.Recall:0.00} | {s.MedianWaitMs:0} | {s.P90WaitMs:0} | {s.Ends} | {s.Holds} | {s.Optional} |");
        }

        output.WriteLine(table.ToString());
        foreach (var ((path, engine, detector), s) in scores)
        {
            foreach (var error in s.Errors)
            {
                output.WriteLine($"{path} {detector}: {error}");
            }

            if (detector == "Medium")
            {
                foreach (var line in s.Log)
                {
                    output.WriteLine($"{path} {detector}: {line}");
                }
            }
        }

        return scores;
    }

    private static TurnCorpusScore Score(Dictionary<(TurnCorpusPath, TurnCorpusEngine, string), TurnCorpusScore> scores, (TurnCorpusPath, TurnCorpusEngine, string) key)
    {
        if (!scores.TryGetValue(key, out var score))
        {
            scores[key] = score = new TurnCorpusScore();
        }

        return score;
    }
}
