using System.Globalization;
using System.Text;
using MediaServer.Pipeline.Interruptions;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Tests.Audio;
using MediaServer.Pipeline.Vad;
using Xunit.Abstractions;

namespace MediaServer.Pipeline.Tests.Interruptions;

/// <summary>
/// The barge-in corpus scored end to end (VAD, segmentation, recogniser, echo gate, arbiter) on the 8 kHz G.711 and
/// 48 kHz paths. The thresholds below are the ones in the README's barge-in table; each is a rate over the corpus,
/// so one regression in one class of sound fails the test with the list of cases that went wrong.
/// </summary>
/// <remarks>This class replays the whole corpus (category Slow, about a minute); <see cref="InterruptionCorpusSubsetTests"/>
/// runs a subset with the same thresholds in the default run.</remarks>
[Trait("Category", "Slow")]
[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class InterruptionCorpusTests(InterruptionCorpusTests.FullCorpus fixture, ITestOutputHelper output)
    : InterruptionCorpusScoring(fixture, output), IClassFixture<InterruptionCorpusTests.FullCorpus>
{
    public sealed class FullCorpus() : CorpusFixture(full: true);

    [Fact]
    public void Corpus_covers_every_class_on_both_paths()
    {
        foreach (var path in Enum.GetValues<InterruptionPath>())
        {
            foreach (var kind in new[] { InterruptionKind.Interruption, InterruptionKind.Backchannel, InterruptionKind.Noise, InterruptionKind.Echo })
            {
                Assert.True(Corpus.Cases.Count(c => c.Path == path && c.Truth == kind) >= 6, $"{kind} on {path}");
            }
        }

        Output.WriteLine($"{Corpus.Cases.Count} cases replayed in {Corpus.ReplaySeconds:F1} s");
        Assert.Equal(24, Corpus.Cases.Count(c => c.Truth == InterruptionKind.Echo));
        Assert.Contains(Corpus.Cases, c => c.EchoDelayMs == 300 && c.EchoLevelDb == -6);
        Assert.Contains(Corpus.Cases, c => c.EchoDelayMs == 40 && c.EchoLevelDb == -20);
    }
}

/// <summary>The corpus subset (every class, both paths, the echo extremes) under the same thresholds.</summary>
[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class InterruptionCorpusSubsetTests(InterruptionCorpusSubsetTests.Subset fixture, ITestOutputHelper output)
    : InterruptionCorpusScoring(fixture, output), IClassFixture<InterruptionCorpusSubsetTests.Subset>
{
    public sealed class Subset() : CorpusFixture(full: false);

    [Fact]
    public void Subset_covers_every_class_on_both_paths()
    {
        foreach (var path in Enum.GetValues<InterruptionPath>())
        {
            foreach (var kind in new[] { InterruptionKind.Interruption, InterruptionKind.Backchannel, InterruptionKind.Noise, InterruptionKind.Echo })
            {
                Assert.True(Corpus.Cases.Count(c => c.Path == path && c.Truth == kind) >= 3, $"{kind} on {path}");
            }
        }

        Output.WriteLine($"{Corpus.Cases.Count} cases replayed in {Corpus.ReplaySeconds:F1} s");
    }
}

/// <summary>Replays a corpus once per test class.</summary>
public abstract class CorpusFixture : IDisposable
{
    protected CorpusFixture(bool full)
    {
        Model = new SileroVadModel(TestAudio.SileroModelPath);
        Stt = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 2 });
        Cases = InterruptionCorpus.Build(full);
        var replay = new InterruptionReplay(Model, Stt, new BargeInOptions());
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        Outcomes = Cases.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(c => (c, replay.Run(c))).ToList();
        ReplaySeconds = stopwatch.Elapsed.TotalSeconds;
    }

    public SileroVadModel Model { get; }

    public double ReplaySeconds { get; }

    public PocketsphinxSpeechToText Stt { get; }

    public IReadOnlyList<InterruptionCase> Cases { get; }

    public IReadOnlyList<(InterruptionCase Case, InterruptionOutcome Outcome)> Outcomes { get; }

    public void Dispose()
    {
        Stt.Dispose();
        Model.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The scored assertions shared by the full corpus and its subset.</summary>
public abstract class InterruptionCorpusScoring(CorpusFixture fixture, ITestOutputHelper output)
{
    protected CorpusFixture Corpus => fixture;

    protected ITestOutputHelper Output => output;

    /// <summary>
    /// Highest share of backchannels that may stop the agent: one in ten. The whole corpus measured 0 of 28 with
    /// <see cref="BargeInOptions.MinInterruptionMs"/> at 600 and 700 ms, 3 of 28 ("yeah right") at 500 ms. (Until
    /// 2026-12-05 the corpus's "mhm" was flite spelling the letters, "em aitch em", which stopped the agent 4 times
    /// in 28; it is a hum now.)
    /// </summary>
    public const double MaxFalseBargeInBackchannels = 0.10;

    /// <summary>Highest share of noise bursts and coughs that may stop the agent.</summary>
    public const double MaxFalseBargeInNoise = 0.0;

    /// <summary>Highest share of echo-only cases that may stop the agent.</summary>
    public const double MaxFalseBargeInEcho = 0.0;

    /// <summary>Highest share of real interruptions that may be missed.</summary>
    public const double MaxMissedInterruptions = 0.05;

    /// <summary>Median time from the interruption's first sound to the decision, ms (media time).</summary>
    public const double MaxMedianDecisionMs = 850;

    [Fact]
    public void Backchannels_do_not_stop_the_agent() =>
        AssertRate(InterruptionKind.Backchannel, o => o.Interrupted, MaxFalseBargeInBackchannels, "false barge-in (backchannels)");

    [Fact]
    public void Noise_and_coughs_do_not_stop_the_agent() =>
        AssertRate(InterruptionKind.Noise, o => o.Interrupted, MaxFalseBargeInNoise, "false barge-in (noise, coughs)");

    [Fact]
    public void The_agents_own_echo_does_not_stop_it() =>
        AssertRate(InterruptionKind.Echo, o => o.Interrupted, MaxFalseBargeInEcho, "false barge-in (echo)");

    [Fact]
    public void Real_interruptions_stop_the_agent() =>
        AssertRate(InterruptionKind.Interruption, o => !o.Interrupted, MaxMissedInterruptions, "missed interruptions");

    [Fact]
    public void Interruptions_are_decided_soon_after_the_user_starts()
    {
        var latencies = fixture.Outcomes
            .Where(x => x.Case.Truth == InterruptionKind.Interruption && x.Outcome.Interrupted)
            .Select(x => (double)(x.Outcome.DecisionMs - x.Case.SoundOnsetMs))
            .Order()
            .ToList();
        Assert.NotEmpty(latencies);
        Assert.All(latencies, l => Assert.True(l > 0, "decided before the user spoke"));
        double median = latencies[latencies.Count / 2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decision latency from the first sound: median {median} ms, p90 {latencies[(int)(latencies.Count * 0.9)]} ms, max {latencies[^1]} ms"));
        Assert.True(median <= MaxMedianDecisionMs, $"median {median} ms");
    }

    [Fact]
    public void Echo_only_sounds_are_classified_as_echo()
    {
        var echo = fixture.Outcomes.Where(x => x.Case.Truth == InterruptionKind.Echo).ToList();
        int asEcho = echo.Count(x => x.Outcome.Endings.Count == 0 || x.Outcome.Endings.All(k => k == InterruptionKind.Echo));
        output.WriteLine($"echo classified as echo (or never a sound): {asEcho}/{echo.Count}");
        Assert.True(asEcho >= echo.Count * 0.9, Report(echo.Where(x => !x.Outcome.Endings.All(k => k == InterruptionKind.Echo))));
    }

    private void AssertRate(InterruptionKind truth, Func<InterruptionOutcome, bool> wrong, double max, string label)
    {
        var group = fixture.Outcomes.Where(x => x.Case.Truth == truth).ToList();
        var failures = group.Where(x => wrong(x.Outcome)).ToList();
        foreach (var path in Enum.GetValues<InterruptionPath>())
        {
            var onPath = group.Where(x => x.Case.Path == path).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label} on {path}: {onPath.Count(x => wrong(x.Outcome))}/{onPath.Count}"));
        }

        output.WriteLine(Report(group));
        double rate = failures.Count / (double)group.Count;
        Assert.True(rate <= max, string.Create(CultureInfo.InvariantCulture, $"{label}: {rate:P1} > {max:P0}\n{Report(failures)}"));
    }

    private static string Report(IEnumerable<(InterruptionCase Case, InterruptionOutcome Outcome)> rows)
    {
        var text = new StringBuilder();
        foreach (var (c, o) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {c.Name}: {o.Verdict}");
            if (o.Interrupted)
            {
                text.Append(CultureInfo.InvariantCulture, $" at {o.DecisionMs} ms ({o.Heard})");
            }

            text.Append(CultureInfo.InvariantCulture, $" endings [{string.Join(", ", o.Endings)}]\n");
        }

        return text.ToString();
    }
}
