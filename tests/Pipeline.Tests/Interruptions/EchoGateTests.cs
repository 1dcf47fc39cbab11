using MediaServer.Pipeline.Interruptions;

namespace MediaServer.Pipeline.Tests.Interruptions;

/// <summary>The echo gate on synthetic speech-like signals (amplitude-modulated, band-limited noise).</summary>
public sealed class EchoGateTests
{
    private const int Rate = 16_000;

    private static short[] SpeechLike(int seconds, int seed, double amplitude = 6000)
    {
        var random = new Random(seed);
        var x = new short[Rate * seconds];
        double lp = 0;
        for (int i = 0; i < x.Length; i++)
        {
            lp = (0.7 * lp) + (0.3 * ((random.NextDouble() * 2) - 1));
            double envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 4 * i / Rate)); // 4 Hz syllables
            x[i] = (short)(amplitude * envelope * lp * 3);
        }

        return x;
    }

    private static List<EchoEstimate> Run(short[] outgoing, short[] mic)
    {
        var reference = new EchoReference();
        var gate = new EchoGate(reference);
        reference.Append(outgoing, 0);
        var results = new List<EchoEstimate>();
        for (int f = 0; (f + 1) * 320 <= mic.Length; f++)
        {
            results.Add(gate.Process(mic.AsSpan(f * 320, 320), (f + 1) * 320L));
        }

        return results;
    }

    private static short[] Delayed(short[] x, int delayMs, double db, int length)
    {
        var y = new short[length];
        double gain = Math.Pow(10, db / 20);
        int d = delayMs * Rate / 1000;
        for (int i = 0; i + d < length && i < x.Length; i++)
        {
            y[i + d] = (short)(x[i] * gain);
        }

        return y;
    }

    [Theory]
    [InlineData(40, -6)]
    [InlineData(120, -10)]
    [InlineData(300, -20)]
    [InlineData(480, -12)]
    public void The_agents_own_voice_coming_back_is_explained_and_its_delay_found(int delayMs, double db)
    {
        var agent = SpeechLike(3, 1);
        var results = Run(agent, Delayed(agent, delayMs, db, agent.Length));
        var late = results.Skip(50).ToList(); // after the first second
        Assert.All(late, r => Assert.True(r.Explains(0.8f), $"similarity {r.Similarity}"));
        Assert.InRange(late[^1].DelayMs, delayMs - 1, delayMs + 1);
    }

    [Fact]
    public void Someone_else_talking_is_not_explained()
    {
        var agent = SpeechLike(3, 1);
        var user = SpeechLike(3, 2);
        var results = Run(agent, user);
        Assert.True(results.Skip(25).Count(r => r.Explains(0.8f)) == 0);
        Assert.All(results.Skip(25), r => Assert.True(r.ReferenceActive));
    }

    [Fact]
    public void A_user_talking_over_the_echo_lowers_the_similarity_below_the_threshold()
    {
        var agent = SpeechLike(3, 1);
        var mic = Delayed(agent, 120, -10, agent.Length);
        var user = SpeechLike(3, 3, amplitude: 6000 * 0.316 * 2); // 6 dB above the echo (the near talker is louder)
        for (int i = Rate; i < mic.Length; i++)
        {
            mic[i] = (short)(mic[i] + user[i]);
        }

        var results = Run(agent, mic);
        Assert.True(results.Skip(30).Take(15).All(r => r.Explains(0.8f)), "echo alone before the user starts");
        int unexplained = results.Skip(60).Count(r => !r.Explains(0.8f));
        // The user's syllable gaps (their envelope dips to zero 4 times a second) leave the echo alone: about a third.
        Assert.True(unexplained > 50, $"double talk is not echo: {unexplained}/{results.Count - 60} frames");
    }

    [Fact]
    public void No_reference_means_nothing_to_explain_and_no_search()
    {
        var reference = new EchoReference();
        var gate = new EchoGate(reference);
        var mic = SpeechLike(1, 4);
        for (int f = 0; f < 50; f++)
        {
            var r = gate.Process(mic.AsSpan(f * 320, 320), (f + 1) * 320L);
            Assert.False(r.ReferenceActive);
        }

        Assert.Equal(0, gate.Searches);
    }
}
