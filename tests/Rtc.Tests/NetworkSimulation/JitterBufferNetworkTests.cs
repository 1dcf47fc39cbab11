using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Jitter;
using Xunit.Abstractions;

namespace MediaServer.Rtc.Tests.NetworkSimulation;

/// <summary>
/// The jitter buffer under simulated networks with real speech through real codecs. Thresholds, measured against
/// the clean original with <see cref="AlignedQuality"/> (200 ms windows each at its best lag):
/// <list type="bullet">
/// <item>clean network: correlation ≥ 0.97 (G.711) / 0.90 (Opus), buffer delay ≤ 45 ms;</item>
/// <item>moderate (40 ms jitter, 3 % loss): correlation ≥ 0.90 (G.711) / 0.85 (Opus);</item>
/// <item>harsh (120 ms jitter, 10 % random + bursts, duplication, reordering, ±200 ppm): correlation ≥ 0.75,
/// with fewer than 15 % of windows below 0.5, and added delay below 200 ms;</item>
/// <item>after a 3 s jitter spike the delay comes back under 60 ms within 12 s.</item>
/// </list>
/// </summary>
public sealed class JitterBufferNetworkTests(ITestOutputHelper output)
{
    public enum Codec
    {
        Pcmu,
        OpusConcentus,
        OpusNative,
    }

    private static (short[] Speech, List<byte[]> Packets, JitterBuffer Buffer, int Rate) Setup(Codec codec, double seconds, JitterBufferOptions? options = null)
    {
        if (codec == Codec.Pcmu)
        {
            short[] speech = MediaPath.Loop(TestAudio.Speech8k, 8000, seconds);
            var packets = MediaPath.Packetize(speech, new G711Encoder(G711Law.MuLaw), 0);
            return (speech, packets, new JitterBuffer(new G711Decoder(G711Law.MuLaw), 8000, options), 8000);
        }

        var kind = codec == Codec.OpusNative ? OpusImplementation.Native : OpusImplementation.Concentus;
        short[] s48 = MediaPath.Loop(TestAudio.Speech48k, 48000, seconds);
        using var encoder = AudioCodecFactory.CreateOpusEncoder(new OpusEncoderOptions { PacketLossPercent = 10 }, kind);
        var opusPackets = MediaPath.Packetize(s48, encoder, 111);
        return (s48, opusPackets, new JitterBuffer(AudioCodecFactory.CreateOpusDecoder(48000, 1, kind), 48000, options), 48000);
    }

    [Theory]
    [InlineData(Codec.Pcmu, 0.97)]
    [InlineData(Codec.OpusConcentus, 0.90)]
    [InlineData(Codec.OpusNative, 0.90)]
    public void Clean_network_plays_everything_with_low_delay(Codec codec, double minCorrelation)
    {
        var (speech, packets, buffer, rate) = Setup(codec, 10);
        var result = MediaPath.Run(packets, new NetworkConditions { BaseDelayMs = 30, JitterMs = 2 }, buffer, seed: 1);
        var q = AlignedQuality.Measure(speech, result.Output, rate);
        output.WriteLine($"{codec}: {q}; settled delay {MediaPath.SettledDelayMs(result):F0} ms; {Describe(result.Statistics)}");
        Assert.True(q.MeanCorrelation >= minCorrelation, q.ToString());
        Assert.Equal(0, result.Statistics.FramesConcealed);
        Assert.InRange(MediaPath.SettledDelayMs(result), 0, 45);
        Assert.InRange(result.Statistics.FramesDecoded, packets.Count - 3, packets.Count); // the run stops at the last arrival
    }

    [Theory]
    [InlineData(Codec.Pcmu, 0.90)]
    [InlineData(Codec.OpusConcentus, 0.85)]
    [InlineData(Codec.OpusNative, 0.85)]
    public void Moderate_jitter_and_loss_keep_speech_intelligible(Codec codec, double minCorrelation)
    {
        var (speech, packets, buffer, rate) = Setup(codec, 20);
        var conditions = new NetworkConditions { JitterMs = 40, RandomLoss = 0.03, Duplication = 0.02 };
        var result = MediaPath.Run(packets, conditions, buffer, seed: 2);
        var q = AlignedQuality.Measure(speech, result.Output, rate);
        output.WriteLine($"{codec} {conditions}: {q}; {Describe(result.Statistics)}");
        Assert.True(q.MeanCorrelation >= minCorrelation, q.ToString());
        Assert.True(result.Statistics.DuplicatePackets > 0);
        Assert.InRange(result.Statistics.TargetDelay.TotalMilliseconds, 30, 90);
    }

    [Theory]
    [InlineData(Codec.Pcmu, 200.0)]
    [InlineData(Codec.Pcmu, -200.0)]
    [InlineData(Codec.OpusConcentus, 200.0)]
    [InlineData(Codec.OpusNative, -200.0)]
    public void Harsh_network_with_drift_still_converges_and_plays(Codec codec, double driftPpm)
    {
        var (speech, packets, buffer, rate) = Setup(codec, 30);
        var conditions = new NetworkConditions
        {
            JitterMs = 120,
            RandomLoss = 0.10,
            BurstEnter = 0.02,
            BurstExit = 0.4,
            Duplication = 0.05,
            Reorder = 0.05,
            DriftPpm = driftPpm,
        };
        var result = MediaPath.Run(packets, conditions, buffer, seed: 3);
        var q = AlignedQuality.Measure(speech, result.Output, rate);
        output.WriteLine($"{codec} {conditions}: {q}; settled delay {MediaPath.SettledDelayMs(result):F0} ms; {Describe(result.Statistics)}; network lost {result.NetworkLost}/{packets.Count}");
        Assert.True(q.MeanCorrelation >= 0.75, q.ToString());
        Assert.True(q.FractionBelowHalf < 0.15, q.ToString());
        Assert.InRange(MediaPath.SettledDelayMs(result), 60, 200);
        Assert.True(result.Statistics.FramesConcealed + result.Statistics.FramesRecoveredByFec >= result.NetworkLost * 0.8);
    }

    [Theory]
    [InlineData(Codec.Pcmu, 0.60)]
    [InlineData(Codec.OpusConcentus, 0.60)]
    [InlineData(Codec.OpusNative, 0.60)]
    public void Twenty_percent_loss_with_bursts_is_concealed(Codec codec, double minCorrelation)
    {
        // 15 % random plus Gilbert-Elliott bursts (mean 2 packets) for about 20 % in all, with 60 ms jitter.
        var (speech, packets, buffer, rate) = Setup(codec, 20);
        var conditions = new NetworkConditions { JitterMs = 60, RandomLoss = 0.15, BurstEnter = 0.03, BurstExit = 0.5 };
        var result = MediaPath.Run(packets, conditions, buffer, seed: 6);
        var q = AlignedQuality.Measure(speech, result.Output, rate);
        double lossRate = result.NetworkLost / (double)packets.Count;
        output.WriteLine($"{codec} {conditions}: loss {lossRate:P1}; {q}; {Describe(result.Statistics)}");
        Assert.InRange(lossRate, 0.17, 0.25);
        Assert.True(q.MeanCorrelation >= minCorrelation, q.ToString());
        Assert.True(result.Statistics.FramesConcealed + result.Statistics.FramesRecoveredByFec >= result.NetworkLost * 0.9);
    }

    [Theory]
    [InlineData(Codec.Pcmu, 200.0)]
    [InlineData(Codec.Pcmu, -200.0)]
    [InlineData(Codec.OpusNative, 200.0)]
    [InlineData(Codec.OpusNative, -200.0)]
    [InlineData(Codec.Pcmu, 1000.0)]
    [InlineData(Codec.Pcmu, -1000.0)]
    [InlineData(Codec.OpusConcentus, 1000.0)]
    [InlineData(Codec.OpusConcentus, -1000.0)]
    public void Drift_is_absorbed_without_growing_delay(Codec codec, double ppm)
    {
        // 60 s: ±200 ppm puts the sender 12 ms ahead or behind, ±1000 ppm 60 ms. The buffer must shed or build it
        // by time stretching, never by piling delay up or running dry.
        var (speech, packets, buffer, rate) = Setup(codec, 60);
        var result = MediaPath.Run(packets, new NetworkConditions { JitterMs = 10, DriftPpm = ppm }, buffer, seed: 4);
        var q = AlignedQuality.Measure(speech, result.Output, rate);
        var late = result.Trace.Where(t => t.TimeMs > 10_000).Select(t => t.CurrentMs).ToList();
        output.WriteLine($"{codec} {ppm} ppm: {q}; delay after 10 s {late.Min():F1}..{late.Max():F1} ms; {Describe(result.Statistics)}");
        Assert.True(late.Max() < 50, $"delay grew to {late.Max():F1} ms");
        Assert.True(late.Min() > 0, $"delay fell to {late.Min():F1} ms");
        Assert.True(q.MeanCorrelation >= 0.85, q.ToString());
        Assert.True(result.Statistics.Underruns <= 6, $"{result.Statistics.Underruns} underruns in 3000 frames");
        if (Math.Abs(ppm) >= 1000)
        {
            // 60 ms of drift: at least half of it must have been taken up by time stretching.
            long stretched = ppm > 0 ? result.Statistics.SamplesCompressed : result.Statistics.SamplesExpanded;
            Assert.True(stretched > rate * 0.03, $"only {stretched} samples stretched for {ppm} ppm");
        }
    }

    [Theory]
    [InlineData(Codec.Pcmu)]
    [InlineData(Codec.OpusConcentus)]
    public void Delay_grows_under_a_jitter_spike_and_converges_back(Codec codec)
    {
        var (_, packets, buffer, _) = Setup(codec, 30);
        var conditions = new NetworkConditions { JitterAt = t => t is > 8000 and < 11000 ? 150 : 5 };
        var result = MediaPath.Run(packets, conditions, buffer, seed: 5);
        double before = result.Trace.Where(t => t.TimeMs is > 5000 and < 8000).Average(t => t.CurrentMs);
        double peakTarget = result.Trace.Where(t => t.TimeMs is > 8000 and < 11500).Max(t => t.TargetMs);
        double peak = result.Trace.Where(t => t.TimeMs is > 8000 and < 12000).Max(t => t.CurrentMs);
        double settled = result.Trace.Where(t => t.TimeMs > 11000).First(t => t.CurrentMs < 60 && t.TargetMs < 60).TimeMs;
        output.WriteLine($"{codec}: before {before:F0} ms, peak target {peakTarget:F0} ms, peak delay {peak:F0} ms, back under 60 ms at {settled / 1000:F1} s; {Describe(result.Statistics)}");
        Assert.True(before < 45, $"before {before:F1}");
        Assert.True(peakTarget > 100, $"target only rose to {peakTarget:F0}");
        Assert.True(peak > 80, $"delay only rose to {peak:F0}");
        Assert.True(settled < 11000 + 12000, $"settled at {settled}");
    }

    [Theory]
    [InlineData(OpusImplementation.Concentus)]
    [InlineData(OpusImplementation.Native)]
    public void Opus_decoded_straight_to_16_khz_keeps_rtp_timing_at_48_khz(OpusImplementation kind)
    {
        // The pipeline runs at 16 kHz: decoding there skips a resampler. RTP timestamps stay at 48 kHz (RFC 7587).
        short[] speech = MediaPath.Loop(TestAudio.Speech48k, 48000, 10);
        using var encoder = AudioCodecFactory.CreateOpusEncoder(new OpusEncoderOptions(), kind);
        var packets = MediaPath.Packetize(speech, encoder, 111);
        var buffer = new JitterBuffer(AudioCodecFactory.CreateOpusDecoder(16000, 1, kind), 48000);
        Assert.Equal(320, buffer.FrameSamples);
        var result = MediaPath.Run(packets, new NetworkConditions { JitterMs = 30, RandomLoss = 0.05 }, buffer, seed: 9);
        var reference = new short[speech.Length / 3];
        for (int i = 0; i < reference.Length; i++)
        {
            reference[i] = speech[3 * i]; // crude decimation is enough for a correlation reference below 4 kHz
        }

        var q = AlignedQuality.Measure(reference, result.Output, 16000);
        output.WriteLine($"{kind} @16k: {q}; {Describe(result.Statistics)}");
        Assert.True(q.MeanCorrelation > 0.8, q.ToString());
        Assert.InRange(result.Statistics.FramesDecoded, packets.Count * 0.9, packets.Count);
    }

    [Theory]
    [InlineData(OpusImplementation.Concentus)]
    [InlineData(OpusImplementation.Native)]
    public void Opus_dtx_gaps_are_bridged_and_speech_after_them_plays(OpusImplementation kind)
    {
        // With DTX the sender stops sending in silence (RFC 7587 section 3.1.3): the timestamps jump over the gap.
        // Speech after each gap must play at the right time; the gap itself gets at most MaxUnderrun (200 ms) of
        // fading concealment before the buffer falls silent and waits for the next talk spurt.
        short[] pause = new short[48000];
        short[] speech = [.. TestAudio.Speech48k, .. pause, .. TestAudio.Speech48k];
        using var encoder = AudioCodecFactory.CreateOpusEncoder(new OpusEncoderOptions { Dtx = true }, kind);
        var all = MediaPath.Packetize(speech, encoder, 111);
        var sent = all.Where(p => p.Length - 12 > 2).ToList(); // DTX frames (1-2 bytes) are not sent
        var buffer = new JitterBuffer(AudioCodecFactory.CreateOpusDecoder(48000, 1, kind), 48000);
        var result = RunWithSendTimes(all, sent, buffer);
        var q = AlignedQuality.Measure(speech, result, 48000);
        output.WriteLine($"{kind}: sent {sent.Count}/{all.Count}; {q}; {Describe(buffer.Statistics)}");
        Assert.True(sent.Count <= all.Count - 30, $"DTX should have suppressed most of the 1 s pause ({all.Count - sent.Count} frames)");
        Assert.True(buffer.Statistics.FramesSilent > 10, "the buffer should have gone quiet during the pause");
        Assert.True(q.MeanCorrelation > 0.85, q.ToString());
        Assert.True(q.MaxLagMs - q.MeanLagMs < 60, $"speech after the pause is late: {q}");
    }

    /// <summary>Sends each packet of <paramref name="sent"/> at its original 20 ms slot in <paramref name="all"/>.</summary>
    private static short[] RunWithSendTimes(List<byte[]> all, List<byte[]> sent, JitterBuffer buffer)
    {
        var slot = new Dictionary<byte[], int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < all.Count; i++)
        {
            slot[all[i]] = i;
        }

        int frame = buffer.FrameSamples;
        var output = new short[(all.Count + 20) * frame];
        int next = 0;
        for (int tick = 0; tick < all.Count + 20; tick++)
        {
            double now = tick * 20;
            while (next < sent.Count && (slot[sent[next]] * 20) + 30 <= now)
            {
                buffer.Push(sent[next], TimeSpan.FromMilliseconds((slot[sent[next]] * 20) + 30));
                next++;
            }

            buffer.Pull(output.AsSpan(tick * frame, frame), TimeSpan.FromMilliseconds(now));
        }

        return output;
    }

    [Fact]
    public void Stereo_opus_goes_through_with_jitter_and_loss()
    {
        short[] mono = MediaPath.Loop(TestAudio.Speech48k, 48000, 8);
        var stereo = new short[mono.Length * 2];
        for (int i = 0; i < mono.Length; i++)
        {
            stereo[2 * i] = mono[i];
            stereo[(2 * i) + 1] = (short)(mono[i] / 2);
        }

        using var encoder = AudioCodecFactory.CreateOpusEncoder(new OpusEncoderOptions { Channels = 2, Bitrate = 64000 }, OpusImplementation.Native);
        var packets = MediaPath.Packetize(stereo, encoder, 111);
        var buffer = new JitterBuffer(AudioCodecFactory.CreateOpusDecoder(48000, 2, OpusImplementation.Native), 48000);
        Assert.Equal(2, buffer.Channels);
        var result = MediaPath.Run(packets, new NetworkConditions { JitterMs = 60, RandomLoss = 0.05 }, buffer, seed: 8);
        var left = new short[result.Output.Length / 2];
        var right = new short[result.Output.Length / 2];
        for (int i = 0; i < left.Length; i++)
        {
            left[i] = result.Output[2 * i];
            right[i] = result.Output[(2 * i) + 1];
        }

        var q = AlignedQuality.Measure(mono, left, 48000);
        double ratio = Math.Sqrt(right.Average(v => (double)v * v) / left.Average(v => (double)v * v));
        output.WriteLine($"stereo: {q}; right/left {ratio:F2}; {Describe(result.Statistics)}");
        Assert.True(q.MeanCorrelation > 0.85, q.ToString());
        Assert.InRange(ratio, 0.4, 0.6); // the right channel stays 6 dB down through stretching and concealment
        Assert.True(result.Statistics.SamplesCompressed + result.Statistics.SamplesExpanded > 0);
    }

    [Fact]
    public void A_startup_burst_is_shed_within_seconds()
    {
        // WebRTC peers often hold packets until DTLS completes and then deliver 800 ms of them at once.
        var (speech, packets, buffer, rate) = Setup(Codec.Pcmu, 20);
        var frame = new short[buffer.FrameSamples];
        var trace = new List<(double T, double Delay)>();
        for (int tick = 0; tick < 1000; tick++)
        {
            double now = tick * 20;
            for (int i = 0; i < packets.Count; i++)
            {
                double arrival = Math.Max(800, i * 20);
                if (arrival <= now && arrival > now - 20)
                {
                    buffer.Push(packets[i], TimeSpan.FromMilliseconds(arrival));
                }
            }

            buffer.Pull(frame, TimeSpan.FromMilliseconds(now));
            trace.Add((now, buffer.CurrentDelayMs));
        }

        double at6s = trace.Where(t => t.T is > 6000 and < 8000).Max(t => t.Delay);
        output.WriteLine($"peak {trace.Max(t => t.Delay):F0} ms, 6-8 s {at6s:F0} ms, end {trace[^1].Delay:F0} ms; {Describe(buffer.Statistics)}");
        Assert.True(at6s < 80, $"still {at6s:F0} ms of delay 5 s after the burst");
        Assert.True(buffer.Statistics.FramesDecoded > packets.Count * 0.9);
    }

    private static string Describe(JitterBufferStatistics s) =>
        $"delay {s.CurrentDelay.TotalMilliseconds:F0}/{s.TargetDelay.TotalMilliseconds:F0} ms, decoded {s.FramesDecoded}, concealed {s.FramesConcealed}, fec {s.FramesRecoveredByFec}, late {s.LatePackets}, dup {s.DuplicatePackets}, underruns {s.Underruns}, -{s.SamplesCompressed}/+{s.SamplesExpanded} samples, resyncs {s.Resyncs}";
}
