using MediaServer.Pipeline.Tests.Audio;
using MediaServer.Pipeline.Tests.Turns;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;
using Xunit.Abstractions;

namespace MediaServer.Pipeline.Tests.Vad;

public sealed class SileroVadTests(SileroModelFixture fixture, ITestOutputHelper output) : IClassFixture<SileroModelFixture>
{
    private static float[] Score(IVoiceActivityDetector vad, short[] audio)
    {
        var scores = new float[audio.Length / 320];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = vad.Process(audio.AsSpan(i * 320, 320));
        }

        return scores;
    }

    private void Print(string label, float[] scores) =>
        output.WriteLine($"{label}: min {scores.Min():F3} mean {scores.Average():F3} max {scores.Max():F3} share>=0.5 {scores.Count(p => p >= 0.5f) / (double)scores.Length:F2}");

    [Fact]
    public void Jfk_speech_scores_high_while_he_speaks()
    {
        using SileroVad vad = fixture.Model.CreateStream();
        float[] scores = Score(vad, TestAudio.Jfk16k());
        Print("jfk", scores);

        // "And so my fellow Americans" runs from about 0.3 s to 2.2 s.
        float[] phrase = scores[(500 / 20)..(2000 / 20)];
        Print("jfk phrase 1", phrase);
        Assert.True(phrase.Average() > 0.8f, $"mean {phrase.Average()}");
        Assert.InRange(scores.Count(p => p >= 0.5f) / (double)scores.Length, 0.4, 0.9);
        Assert.Equal(176000 / 512, vad.Inferences);
    }

    [Fact]
    public void Flite_speech_scores_high_and_the_silence_around_it_low()
    {
        short[] speech = TestAudio.Flite("What time is it in Tokyo right now");
        short[] audio = TestAudio.Concat(new short[16000], speech, new short[16000]);
        using SileroVad vad = fixture.Model.CreateStream();
        float[] scores = Score(vad, audio);
        Print("flite", scores);

        float[] before = scores[..45];
        float[] during = scores[(50 + 15)..(50 + (speech.Length / 320) - 15)];
        float[] after = scores[^30..];
        Print("before", before);
        Print("during", during);
        Print("after", after);
        Assert.All(before, p => Assert.True(p < 0.1f, $"p = {p}"));
        Assert.True(during.Average() > 0.7f, $"mean {during.Average()}");
        Assert.All(after, p => Assert.True(p < 0.1f, $"p = {p}"));
    }

    [Theory]
    [InlineData(-70)]
    [InlineData(-50)]
    [InlineData(-30)]
    public void White_noise_is_not_speech(double dbfs)
    {
        using SileroVad vad = fixture.Model.CreateStream();
        float[] scores = Score(vad, EnergyVadTests.NoiseAt(dbfs, 3000, 21));
        Print($"noise {dbfs} dBFS", scores);
        Assert.All(scores, p => Assert.True(p < 0.2f, $"p = {p}"));
        Assert.True(scores.Average() < 0.05f, $"mean {scores.Average()}");
    }

    [Fact]
    public void Digital_silence_is_not_speech()
    {
        using SileroVad vad = fixture.Model.CreateStream();
        Assert.All(Score(vad, new short[32000]), p => Assert.True(p < 0.05f, $"p = {p}"));
    }

    [Fact]
    public void Streams_are_independent_and_deterministic_even_when_run_concurrently()
    {
        short[] jfk = TestAudio.Jfk16k();
        using SileroVad reference = fixture.Model.CreateStream();
        float[] expected = Score(reference, jfk);

        var results = new float[4][];
        Parallel.For(0, 4, i =>
        {
            using SileroVad vad = fixture.Model.CreateStream();
            results[i] = Score(vad, jfk);
        });

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Reset_makes_a_stream_start_afresh()
    {
        short[] jfk = TestAudio.Jfk16k();
        using SileroVad fresh = fixture.Model.CreateStream();
        float[] expected = Score(fresh, jfk[..32000]);

        using SileroVad used = fixture.Model.CreateStream();
        Score(used, jfk[50000..90000]);
        used.Reset();
        Assert.Equal(expected, Score(used, jfk[..32000]));
    }

    [Fact]
    public void Frame_size_does_not_change_the_result()
    {
        short[] jfk = TestAudio.Jfk16k()[..48000];
        using SileroVad framed = fixture.Model.CreateStream();
        Score(framed, jfk);
        using SileroVad whole = fixture.Model.CreateStream();
        whole.Process(jfk);
        Assert.Equal(framed.Probability, whole.Probability);
        Assert.Equal(framed.Inferences, whole.Inferences);
    }

    [Fact]
    public void Process_allocates_nothing_per_frame()
    {
        short[] jfk = TestAudio.Jfk16k();
        using SileroVad vad = fixture.Model.CreateStream();
        // Warm up over the same stretch first: tiered JIT and ONNX Runtime's first-call set-up may allocate once;
        // the claim is about the steady state.
        for (int i = 3200; i + 320 <= 35200; i += 320)
        {
            vad.Process(jfk.AsSpan(i, 320));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 3200; i + 320 <= 35200; i += 320)
        {
            vad.Process(jfk.AsSpan(i, 320));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_whole_frame_path_allocates_nothing()
    {
        // 48 kHz (Opus) frames -> 16 kHz -> energy + Silero -> turn detector, as the session runs them.
        short[] speech = TestAudio.Resample(TestAudio.Jfk16k(), 16000, 48000);
        var resampler = MediaServer.Pipeline.Audio.Resampler.Create(48000, 16000);
        using var vad = new CombinedVad(new EnergyVad(), fixture.Model.CreateStream());
        var turns = new ServerVadTurnDetector();
        var frame16k = new short[resampler.MaxOutputSamples(960)];
        long t = 0;
        int events = 0;
        void Step(int i)
        {
            int n = resampler.Process(speech.AsSpan(i * 960, 960), frame16k);
            if (!turns.Process(vad.Process(frame16k.AsSpan(0, n)), t += 20).IsNone)
            {
                events++;
            }
        }

        // A first pass warms up the JIT tiers and ONNX Runtime; the second, in the steady state, must not allocate.
        for (int i = 0; i < speech.Length / 960; i++)
        {
            Step(i);
        }

        events = 0;
        turns.Reset(t);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < speech.Length / 960; i++)
        {
            Step(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(events >= 2);
    }

    [Fact]
    public void Loading_checks_the_file_and_the_graph()
    {
        Assert.Throws<FileNotFoundException>(() => new SileroVadModel("/nonexistent/silero.onnx"));
    }

    [Fact]
    public void Combined_vad_ignores_loud_noise_that_the_energy_vad_takes_for_speech()
    {
        using var combined = new CombinedVad(new EnergyVad(), fixture.Model.CreateStream());
        Score(combined, new short[8000]);
        float[] noise = Score(combined, EnergyVadTests.NoiseAt(-35, 600, 22));
        Assert.True(combined.Energy.Probability > 0.9f, "the energy VAD alone would call it speech");
        Assert.All(noise, p => Assert.True(p < 0.2f, $"p = {p}"));
    }

    [Fact]
    public void Combined_vad_gives_the_same_turns_as_silero_alone_on_clean_speech()
    {
        short[] audio = TestAudio.Concat(TestAudio.Jfk16k(), new short[16000]);
        using SileroVad silero = fixture.Model.CreateStream();
        var expected = TurnRunner.Run(audio, silero, new ServerVadTurnDetector());
        using var combined = new CombinedVad(new EnergyVad(), fixture.Model.CreateStream());
        var actual = TurnRunner.Run(audio, combined, new ServerVadTurnDetector());
        output.WriteLine("silero:   " + string.Join(", ", expected));
        output.WriteLine("combined: " + string.Join(", ", actual));

        // The gate trims reverberant word tails near the floor; a turn boundary may move by a frame or two.
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Kind, actual[i].Kind);
            Assert.InRange(actual[i].AudioMs, expected[i].AudioMs - 100, expected[i].AudioMs + 100);
        }
    }

    [Fact]
    public void Combined_vad_silences_speech_below_the_audible_floor()
    {
        // jfk at -60 dB: Silero is level-invariant enough to still call it speech; the energy gate refuses it.
        short[] faint = TestAudio.Jfk16k().Select(s => (short)(s / 1000)).ToArray();
        using SileroVad silero = fixture.Model.CreateStream();
        float[] raw = Score(silero, faint);
        using var combined = new CombinedVad(new EnergyVad(), fixture.Model.CreateStream());
        float[] gated = Score(combined, faint);
        Print("faint silero", raw);
        Assert.All(gated, p => Assert.Equal(0f, p));
    }

    [Fact]
    public void Combined_vad_with_the_turn_detector_splits_jfk_into_phrases_and_ends_the_last()
    {
        // jfk.wav ends 0.4 s after "... for your country"; a second of silence lets the last turn end.
        using var vad = new CombinedVad(new EnergyVad(), fixture.Model.CreateStream());
        var events = TurnRunner.Run(TestAudio.Concat(TestAudio.Jfk16k(), new short[16000]), vad, new ServerVadTurnDetector());
        output.WriteLine(string.Join(", ", events));
        Assert.True(events.Count >= 2 && events.Count % 2 == 0, "every turn that starts also stops");
        Assert.InRange(events[0].AudioMs, 0, 700);
        Assert.InRange(events[^1].AudioMs, 10600, 11600);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(-42)]
    [InlineData(-30)]
    public void Combined_vad_finds_one_turn_in_flite_speech_over_background_noise(double noiseDbfs)
    {
        short[] speech = TestAudio.Flite("Please book a table for two at seven tonight");
        short[] audio = TestAudio.Concat(new short[24000], speech, new short[24000]);
        audio = TestAudio.Mix(audio, EnergyVadTests.NoiseAt(noiseDbfs, audio.Length / 16, 31));
        output.WriteLine($"speech {MediaServer.Pipeline.Audio.Pcm16.Dbfs(speech):F1} dBFS over noise {noiseDbfs} dBFS");

        using var vad = new CombinedVad(new EnergyVad(), fixture.Model.CreateStream());
        var events = TurnRunner.Run(audio, vad, new ServerVadTurnDetector());
        output.WriteLine(string.Join(", ", events));

        int speechEndMs = 1500 + (speech.Length / 16);
        Assert.Equal(2, events.Count);
        Assert.InRange(events[0].AudioMs, 1500 - 300, 1500 - 300 + 400);
        Assert.InRange(events[1].AudioMs, speechEndMs - 300 + 500, speechEndMs + 500 + 100);
    }

    [Fact]
    public void Noise_suppression_before_the_vad_keeps_the_turn()
    {
        short[] speech = TestAudio.Flite("Please book a table for two at seven tonight");
        short[] audio = TestAudio.Concat(new short[48000], speech, new short[24000]);
        audio = TestAudio.Mix(audio, EnergyVadTests.NoiseAt(-30, audio.Length / 16, 32));
        var suppressor = new MediaServer.Pipeline.Audio.NoiseSuppressor(MediaServer.Pipeline.Audio.NoiseSuppressionProfile.FarField);
        var cleaned = new short[audio.Length];
        for (int i = 0; i + 320 <= audio.Length; i += 320)
        {
            suppressor.Process(audio.AsSpan(i, 320), cleaned.AsSpan(i, 320));
        }

        using var vad = new CombinedVad(new EnergyVad(), fixture.Model.CreateStream());
        var events = TurnRunner.Run(cleaned, vad, new ServerVadTurnDetector());
        output.WriteLine(string.Join(", ", events));
        Assert.Equal(2, events.Count);
        Assert.InRange(events[0].AudioMs, 3000 - 300, 3000 - 300 + 420); // one frame later than without suppression
    }

    [Fact]
    public void Telephone_band_speech_upsampled_from_8kHz_is_still_speech()
    {
        // The SIP path: 8 kHz G.711 audio resampled to 16 kHz has nothing above 4 kHz.
        short[] narrow = TestAudio.Resample(TestAudio.Flite("I would like to speak to someone about my bill", 8000), 8000, 16000);
        short[] audio = TestAudio.Concat(new short[16000], narrow, new short[16000]);
        using var vad = new CombinedVad(new EnergyVad(), fixture.Model.CreateStream());
        var events = TurnRunner.Run(audio, vad, new ServerVadTurnDetector());
        output.WriteLine(string.Join(", ", events));
        Assert.Equal(2, events.Count);
        Assert.Equal(TurnEventKind.SpeechStarted, events[0].Kind);
        Assert.InRange(events[0].AudioMs, 1000 - 300, 1000 - 300 + 400);
    }

    [Fact]
    public void Factory_falls_back_to_the_energy_vad_without_a_model()
    {
        using IVoiceActivityDetector withModel = CombinedVad.ForStream(fixture.Model);
        using IVoiceActivityDetector without = CombinedVad.ForStream(null);
        Assert.IsType<CombinedVad>(withModel);
        Assert.IsType<EnergyVad>(without);
    }
}
