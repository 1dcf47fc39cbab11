using MediaServer.Pipeline.Tests.Audio;
using MediaServer.Pipeline.Tests.Vad;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;
using Xunit.Abstractions;

namespace MediaServer.Pipeline.Tests.Turns;

public sealed class ServerVadTurnDetectorTests(ITestOutputHelper output)
{
    /// <summary>A script of probabilities: (probability, milliseconds) runs of 20 ms frames starting at <paramref name="startMs"/>.</summary>
    private static List<(TurnEvent Event, long FrameEndMs)> Feed(ServerVadTurnDetector detector, long startMs, params (float P, int Ms)[] runs)
    {
        var events = new List<(TurnEvent, long)>();
        long t = startMs;
        foreach (var (p, ms) in runs)
        {
            for (int i = 0; i < ms / 20; i++)
            {
                t += 20;
                TurnEvent e = detector.Process(p, t);
                if (!e.IsNone)
                {
                    events.Add((e, t));
                }
            }
        }

        return events;
    }

    [Fact]
    public void Speech_start_reports_the_onset_minus_prefix_padding_once_the_minimum_duration_passed()
    {
        var detector = new ServerVadTurnDetector();
        var events = Feed(detector, 0, (0.1f, 1000), (0.9f, 400));

        var (started, at) = Assert.Single(events);
        Assert.Equal(TurnEventKind.SpeechStarted, started.Kind);
        Assert.Equal(1000 - 300, started.AudioMs);
        Assert.Equal(1100, at); // confirmed after 100 ms of speech
        Assert.Equal(TurnState.Speaking, detector.State);
        Assert.Equal(700, detector.AudioStartMs);
    }

    [Fact]
    public void Speech_stop_reports_the_frame_where_the_silence_duration_is_reached()
    {
        var detector = new ServerVadTurnDetector();
        var events = Feed(detector, 0, (0.1f, 1000), (0.9f, 1000), (0.05f, 1000));

        Assert.Equal(2, events.Count);
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStopped, 2500), events[1].Event);
        Assert.Equal(TurnState.Quiet, detector.State);
    }

    [Fact]
    public void Audio_start_is_clamped_at_the_beginning_of_the_session()
    {
        var detector = new ServerVadTurnDetector();
        var events = Feed(detector, 0, (0.1f, 100), (0.9f, 400));
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStarted, 0), events[0].Event);
    }

    [Fact]
    public void A_click_shorter_than_the_minimum_speech_duration_is_ignored()
    {
        var detector = new ServerVadTurnDetector();
        var events = Feed(detector, 0, (0.1f, 500), (0.95f, 80), (0.1f, 500), (1f, 40), (0f, 500));
        Assert.Empty(events);
        Assert.Equal(TurnState.Quiet, detector.State);
    }

    [Fact]
    public void A_pause_shorter_than_the_silence_duration_keeps_one_turn()
    {
        var detector = new ServerVadTurnDetector();
        var events = Feed(detector, 0, (0.9f, 600), (0.1f, 480), (0.9f, 600), (0.1f, 600));

        Assert.Equal(2, events.Count);
        Assert.Equal(TurnEventKind.SpeechStarted, events[0].Event.Kind);
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStopped, 600 + 480 + 600 + 500), events[1].Event);
    }

    [Fact]
    public void Probabilities_between_release_and_threshold_neither_start_nor_end_a_turn()
    {
        var detector = new ServerVadTurnDetector();
        Assert.Empty(Feed(detector, 0, (0.45f, 1000)));
        Assert.Equal(TurnState.Quiet, detector.State);

        Feed(detector, 1000, (0.9f, 200));
        Assert.Empty(Feed(detector, 1200, (0.4f, 2000))); // hovering at 0.4 while speaking is still speech
        Assert.Equal(TurnState.Speaking, detector.State);

        var events = Feed(detector, 3200, (0.3f, 600));
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStopped, 3700), Assert.Single(events).Event);
    }

    [Fact]
    public void Parameters_are_honoured()
    {
        var options = new ServerVadOptions { Threshold = 0.8f, PrefixPaddingMs = 100, SilenceDurationMs = 200, MinSpeechDurationMs = 40 };
        var detector = new ServerVadTurnDetector(options);

        Assert.Empty(Feed(detector, 0, (0.7f, 1000)));
        var events = Feed(detector, 1000, (0.85f, 300), (0.1f, 400));
        Assert.Equal(2, events.Count);
        Assert.Equal((new TurnEvent(TurnEventKind.SpeechStarted, 900), 1040L), events[0]);
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStopped, 1300 + 200), events[1].Event);
    }

    [Fact]
    public void Reset_drops_a_turn_in_progress_without_reporting_it()
    {
        var detector = new ServerVadTurnDetector();
        Feed(detector, 0, (0.9f, 500));
        detector.Reset();
        Assert.Equal(TurnState.Quiet, detector.State);
        Assert.Empty(Feed(detector, 500, (0.1f, 1000)));
    }

    [Fact]
    public void Reconfigure_applies_to_the_turn_in_progress()
    {
        var detector = new ServerVadTurnDetector();
        Feed(detector, 0, (0.9f, 500));
        detector.Reconfigure(new ServerVadOptions { SilenceDurationMs = 1000 });
        var events = Feed(detector, 500, (0.1f, 2000));
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStopped, 1500), Assert.Single(events).Event);
    }

    [Theory]
    [InlineData(Eagerness.High, 300)]
    [InlineData(Eagerness.Medium, 500)]
    [InlineData(Eagerness.Auto, 500)]
    [InlineData(Eagerness.Low, 800)]
    public void Semantic_vad_ends_a_complete_turn_after_the_eagerness_pause(Eagerness eagerness, int silenceMs)
    {
        var detector = ServerVadTurnDetector.ForSemanticVad(eagerness);
        var events = Feed(detector, 0, (0.9f, 1000), (0.1f, 9000));
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStopped, 1000 + silenceMs), events[1].Event);
    }

    [Theory]
    [InlineData(Eagerness.High, 2000)]
    [InlineData(Eagerness.Medium, 4000)]
    [InlineData(Eagerness.Low, 8000)]
    public void Semantic_vad_waits_at_most_the_eagerness_bound_for_an_unfinished_turn(Eagerness eagerness, int maxWaitMs)
    {
        var detector = ServerVadTurnDetector.ForSemanticVad(eagerness);
        Feed(detector, 0, (0.9f, 1000));
        ((EagernessTurnEndStrategy)detector.EndStrategy).CompletionProbability = 0f;
        var events = Feed(detector, 1000, (0.1f, 10000));
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStopped, 1000 + maxWaitMs), Assert.Single(events).Event);

        // The estimate belongs to one turn: the next turn starts without it.
        Feed(detector, 11000, (0.9f, 1000));
        Assert.Null(((EagernessTurnEndStrategy)detector.EndStrategy).CompletionProbability);
    }

    [Fact]
    public void Eagerness_policy_maps_wire_values_and_interpolates()
    {
        Assert.True(EagernessPolicy.TryParse("low", out var low));
        Assert.Equal(Eagerness.Low, low);
        Assert.True(EagernessPolicy.TryParse("auto", out var auto));
        Assert.Equal(EagernessPolicy.Medium.MaxWaitMs, EagernessPolicy.For(auto).MaxWaitMs);
        Assert.False(EagernessPolicy.TryParse("eager", out _));
        Assert.False(EagernessPolicy.TryParse("HIGH", out _));

        Assert.Equal(2000, EagernessPolicy.High.RequiredSilenceMs(0f));
        Assert.Equal(300, EagernessPolicy.High.RequiredSilenceMs(1f));
        Assert.Equal(725, EagernessPolicy.High.RequiredSilenceMs(0.5f));
        Assert.Equal(300, EagernessPolicy.High.RequiredSilenceMs(float.NaN));
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServerVadTurnDetector(new ServerVadOptions { Threshold = 1.5f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServerVadTurnDetector(new ServerVadOptions { SilenceDurationMs = -1 }));
    }

    [Fact]
    public void Process_allocates_nothing()
    {
        var detector = new ServerVadTurnDetector();
        Feed(detector, 0, (0.9f, 200), (0.1f, 600));
        long before = GC.GetAllocatedBytesForCurrentThread();
        long t = 1000;
        for (int i = 0; i < 1000; i++)
        {
            detector.Process(i % 100 < 50 ? 0.9f : 0.1f, t += 20);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Flite_utterance_in_low_noise_gives_one_turn_at_the_right_times_with_the_energy_vad()
    {
        short[] speech = TestAudio.Flite("Can you tell me the weather in London tomorrow");
        var (onsetMs, endMs) = AudibleSpan(speech);
        short[] audio = TestAudio.Concat(TurnRunner.Silence(1000), speech, TurnRunner.Silence(1500));
        audio = TestAudio.Mix(audio, EnergyVadTests.NoiseAt(-65, audio.Length / 16, 11));

        using var vad = new EnergyVad();
        var events = TurnRunner.Run(audio, vad, new ServerVadTurnDetector());
        output.WriteLine(string.Join(", ", events) + $"; audible from {1000 + onsetMs} to {1000 + endMs} ms");

        Assert.Equal(2, events.Count);
        Assert.Equal(TurnEventKind.SpeechStarted, events[0].Kind);
        Assert.InRange(events[0].AudioMs, 1000 + onsetMs - 300 - 20, 1000 + onsetMs - 300 + 60);
        Assert.Equal(TurnEventKind.SpeechStopped, events[1].Kind);
        Assert.InRange(events[1].AudioMs, 1000 + endMs + 500 - 100, 1000 + endMs + 500 + 40);
    }

    /// <summary>First and last 20 ms frame louder than -45 dBFS, in ms.</summary>
    private static (int OnsetMs, int EndMs) AudibleSpan(short[] speech)
    {
        int first = -1, last = -1;
        for (int i = 0; i + 320 <= speech.Length; i += 320)
        {
            if (MediaServer.Pipeline.Audio.Pcm16.Dbfs(speech.AsSpan(i, 320)) > -45)
            {
                first = first < 0 ? i : first;
                last = i + 320;
            }
        }

        return (first / 16, last / 16);
    }

    [Fact]
    public void Jfk_speech_gives_alternating_turns_split_at_the_phrase_pauses()
    {
        using var vad = new EnergyVad();
        var events = TurnRunner.Run(TestAudio.Jfk16k(), vad, new ServerVadTurnDetector());
        output.WriteLine(string.Join(", ", events));

        // "And so my fellow Americans ... ask not what your country can do for you ... ask what you can do for your
        // country", then applause. The energy VAD cannot tell applause from speech, so only the pauses are checked.
        Assert.True(events.Count >= 4, "at least two turns");
        Assert.InRange(events[0].AudioMs, 0, 1000);
        for (int i = 0; i < events.Count; i++)
        {
            Assert.Equal(i % 2 == 0 ? TurnEventKind.SpeechStarted : TurnEventKind.SpeechStopped, events[i].Kind);
            if (i > 0)
            {
                Assert.True(events[i].AudioMs >= events[i - 1].AudioMs, "the timeline never runs backwards");
            }
        }
    }

    [Fact]
    public void The_next_turns_padding_never_reaches_into_the_previous_turn()
    {
        var detector = new ServerVadTurnDetector();
        var events = Feed(detector, 0, (0.9f, 1000), (0.1f, 500), (0.9f, 500));
        Assert.Equal(3, events.Count);
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStopped, 1500), events[1].Event);
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStarted, 1500), events[2].Event); // not 1500 - 300

        detector.Reset(bufferStartMs: 2100);
        var later = Feed(detector, 2000, (0.9f, 300));
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStarted, 2100), Assert.Single(later).Event);
    }
}
