using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.BargeIn;

/// <summary>
/// A test client that behaves like a speakerphone without echo cancellation: it plays the agent's audio in real time
/// from the first delta, stops on <c>speech_started</c> (as clients do), and its microphone hears the playback back at
/// <c>echoGain</c> after <c>echoDelayMs</c>, plus whatever the test makes it say, streamed in real time.
/// </summary>
internal sealed class Speakerphone(double echoGain = 0.316, int echoDelayMs = 120)
{
    public const int Rate = 24_000;
    public const int ChunkSamples = Rate / 10; // 100 ms per append
    private readonly int _echoDelaySamples = Rate * echoDelayMs / 1000;

    private readonly List<short> _playback = [];
    private readonly List<(long At, short[] Pcm)> _overlays = [];
    private int _deltasSeen;

    /// <summary>Samples sent so far: the client's clock.</summary>
    public long Position { get; private set; }

    /// <summary>Client clock when playback started (first delta), or -1.</summary>
    public long PlaybackStart { get; private set; } = -1;

    /// <summary>Client clock when playback was stopped (speech_started), or -1.</summary>
    public long PlaybackStop { get; private set; } = -1;

    public void Say(short[] pcm, long at) => _overlays.Add((at, pcm));

    public void Receive(RealtimeTestClient client)
    {
        var deltas = client.All("response.output_audio.delta");
        for (; _deltasSeen < deltas.Count; _deltasSeen++)
        {
            byte[] bytes = Convert.FromBase64String((string)deltas[_deltasSeen]["delta"]!);
            for (int i = 0; i + 1 < bytes.Length; i += 2)
            {
                _playback.Add((short)(bytes[i] | (bytes[i + 1] << 8)));
            }

            if (PlaybackStart < 0)
            {
                PlaybackStart = Position;
            }
        }

        if (PlaybackStop < 0 && client.All("input_audio_buffer.speech_started").Count > 0)
        {
            PlaybackStop = Position; // a client stops its playback on speech_started
        }
    }

    /// <summary>Milliseconds of agent audio played.</summary>
    public long PlayedMs => PlaybackStart < 0 ? 0 : Math.Min(_playback.Count, (PlaybackStop < 0 ? Position : PlaybackStop) - PlaybackStart) * 1000 / Rate;

    public byte[] NextChunk()
    {
        var bytes = new byte[ChunkSamples * 2];
        for (int i = 0; i < ChunkSamples; i++)
        {
            long t = Position + i;
            double sample = 0;
            long play = t - PlaybackStart - _echoDelaySamples;
            bool playing = PlaybackStart >= 0 && (PlaybackStop < 0 || t - _echoDelaySamples < PlaybackStop);
            if (playing && play >= 0 && play < _playback.Count)
            {
                sample += _playback[(int)play] * echoGain;
            }

            foreach (var (at, pcm) in _overlays)
            {
                if (t >= at && t - at < pcm.Length)
                {
                    sample += pcm[t - at];
                }
            }

            sample += (((t * 7919) % 41) - 20) * 0.5; // a quiet line, never digital zero
            short s = (short)Math.Clamp(Math.Round(sample), short.MinValue, short.MaxValue);
            bytes[2 * i] = (byte)s;
            bytes[(2 * i) + 1] = (byte)(s >> 8);
        }

        Position += ChunkSamples;
        return bytes;
    }

    public static short[] Speech(string text)
    {
        byte[] bytes = TestSpeech.Pcm(text, Rate, leadSeconds: 0, tailSeconds: 0);
        var pcm = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, pcm, 0, pcm.Length * 2);
        return pcm;
    }

    /// <summary>Streams the microphone in real time until <paramref name="until"/> holds or the clock passes <paramref name="maxPosition"/>.</summary>
    public async Task StreamAsync(RealtimeTestClient client, long maxPosition, Func<bool>? until = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long startPosition = Position;
        while (Position < maxPosition && !(until?.Invoke() ?? false))
        {
            Receive(client);
            await client.SendAsync(new { type = "input_audio_buffer.append", audio = Convert.ToBase64String(NextChunk()) });
            long aheadMs = ((Position - startPosition) * 1000 / Rate) - clock.ElapsedMilliseconds;
            if (aheadMs > 0)
            {
                await Task.Delay((int)aheadMs);
            }
        }

        Receive(client);
    }
}
