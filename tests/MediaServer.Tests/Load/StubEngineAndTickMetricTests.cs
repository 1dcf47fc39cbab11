using System.Diagnostics.Metrics;
using MediaServer.Pipeline.Stub;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Tts;
using MediaServer.Rtc.Clock;
using MediaServer.Signaling.Telemetry;

namespace MediaServer.Tests.Load;

/// <summary>The stub engines that isolate media cost, and the media clock's frame delay reaching the metric.</summary>
public sealed class StubEngineAndTickMetricTests
{
    [Fact]
    public async Task Stub_recogniser_answers_every_turn_with_its_word()
    {
        var stt = new StubSpeechToText();
        using var stream = stt.StartUtterance(new TranscriptionRequest(null, null, null));
        stream.Write(new short[320]);
        Assert.Equal("stub", stt.Name);
        Assert.Equal(StubSpeechToText.DefaultTranscript, await stream.CompleteAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Hi", 7_200)] // below the 0.3 s floor
    [InlineData("Twenty characters ok", 28_800)] // 20 × 60 ms
    public async Task Stub_synthesiser_plays_a_tone_as_long_as_the_text(string text, int expectedSamples)
    {
        var tts = new StubTextToSpeech();
        int samples = 0, peak = 0;
        await foreach (var chunk in tts.SynthesizeAsync(new SpeechRequest(text, "alloy"), CancellationToken.None))
        {
            samples += chunk.Length;
            foreach (short s in chunk.Span)
            {
                peak = Math.Max(peak, Math.Abs((int)s));
            }
        }

        Assert.Equal(expectedSamples, samples);
        Assert.InRange(peak, 5000, 6000);
    }

    [Fact]
    public async Task Every_media_clock_tick_is_recorded_as_a_frame_delay()
    {
        var delays = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == MediaLoadMetrics.DelayHistograms[0])
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        var seen = new TaskCompletionSource();
        await using var clock = new MediaClock();
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (delays)
            {
                delays.Add(value);
                if (delays.Count >= 5)
                {
                    seen.TrySetResult();
                }
            }
        });
        listener.Start();
        MediaLoadMetrics.Observe(clock);

        clock.Start();
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));

        lock (delays)
        {
            Assert.All(delays, d => Assert.True(d >= 0, $"delay {d}"));
        }
    }
}
