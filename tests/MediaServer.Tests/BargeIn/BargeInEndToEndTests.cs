using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.BargeIn;

/// <summary>
/// Barge-in through the WebSocket API, with a client that behaves like a speakerphone: it plays the agent's audio in
/// real time from the first delta and its microphone hears that playback back at -10 dB, 120 ms later (no echo
/// cancellation), while it streams input in real time. Over that echo it says "uh huh" (the agent must keep
/// talking), then a real sentence (the agent must stop: speech_started, response cancelled with turn_detected, and
/// the client truncates the item at what it played).
/// </summary>
public sealed class BargeInEndToEndTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Rate = 24_000;
    private const int ChunkSamples = Rate / 10; // 100 ms per append
    private const int EchoDelaySamples = Rate * 120 / 1000;
    private const double EchoGain = 0.316; // -10 dB

    private sealed class Speakerphone
    {
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
                long play = t - PlaybackStart - EchoDelaySamples;
                bool playing = PlaybackStart >= 0 && (PlaybackStop < 0 || t - EchoDelaySamples < PlaybackStop);
                if (playing && play >= 0 && play < _playback.Count)
                {
                    sample += _playback[(int)play] * EchoGain;
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
    }

    private static short[] Speech(string text)
    {
        byte[] bytes = TestSpeech.Pcm(text, Rate, leadSeconds: 0, tailSeconds: 0);
        var pcm = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, pcm, 0, pcm.Length * 2);
        return pcm;
    }

    /// <summary>Streams the speakerphone's microphone in real time until <paramref name="until"/> holds or the clock passes <paramref name="maxPosition"/>.</summary>
    private static async Task StreamAsync(RealtimeTestClient client, Speakerphone phone, long maxPosition, Func<bool>? until = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long startPosition = phone.Position;
        while (phone.Position < maxPosition && !(until?.Invoke() ?? false))
        {
            phone.Receive(client);
            await client.SendAsync(new { type = "input_audio_buffer.append", audio = Convert.ToBase64String(phone.NextChunk()) });
            long aheadMs = ((phone.Position - startPosition) * 1000 / Rate) - clock.ElapsedMilliseconds;
            if (aheadMs > 0)
            {
                await Task.Delay((int)aheadMs);
            }
        }

        phone.Receive(client);
    }

    [Fact]
    public async Task Backchannel_and_echo_do_not_stop_the_agent_and_a_real_sentence_does()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.Server);
        await client.WaitForAsync("session.created");
        string script = string.Join(' ', Enumerable.Repeat("Your parcel left the depot this morning and the driver will call before arriving.", 40));
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                instructions = "Say: " + script,
                audio = new { input = new { turn_detection = new { type = "server_vad", false_interruption_timeout_ms = (int?)null } } },
            },
        });
        var updated = await client.WaitForAsync("session.updated");
        var td = updated["session"]!["audio"]!["input"]!["turn_detection"]!;
        Assert.Equal("ignore", (string?)td["backchannel_handling"]);

        var phone = new Speakerphone();
        await StreamAsync(client, phone, Rate / 2);
        await client.SendAsync(new { type = "response.create" });
        string responseId = (string)(await client.WaitForAsync("response.created"))["response"]!["id"]!;
        await StreamAsync(client, phone, phone.Position + (Rate * 10), () => phone.PlaybackStart >= 0);
        Assert.True(phone.PlaybackStart >= 0, "no agent audio");

        // Echo alone, then "uh huh" over it: the agent keeps talking.
        // (The speech is synthesised far faster than real time; the script is long enough that it is still being
        // generated when the real sentence comes, so there is a response to cancel.)
        phone.Say(Speech("uh huh"), phone.PlaybackStart + (Rate * 3 / 2));
        await StreamAsync(client, phone, phone.PlaybackStart + (Rate * 4));
        Assert.Empty(client.All("input_audio_buffer.speech_started"));
        Assert.DoesNotContain(client.All("response.done"), e => (string?)e["response"]!["status"] == "cancelled");

        // A real sentence: the agent stops.
        long sentenceAt = phone.Position;
        phone.Say(Speech("wait stop please I have a question about my order"), sentenceAt);
        await StreamAsync(client, phone, sentenceAt + (Rate * 6), () => client.All("input_audio_buffer.speech_started").Count > 0);
        var started = await client.WaitForAsync("input_audio_buffer.speech_started", 10);
        long audioStartMs = (long)started["audio_start_ms"]!;
        long sentenceMs = sentenceAt * 1000 / Rate;
        Assert.True(Math.Abs(audioStartMs - sentenceMs) <= 600, $"speech_started at {audioStartMs} ms, the sentence began at {sentenceMs} ms");
        var done = await client.WaitForAsync("response.done", 20, e => (string?)e["response"]!["id"] == responseId);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        Assert.Equal("turn_detected", (string?)done["response"]!["status_details"]!["reason"]);

        // The client reports what it played; the server cuts the item there.
        string itemId = (string)done["response"]!["output"]![0]!["id"]!;
        long played = phone.PlayedMs;
        Assert.True(played > 4000, $"played {played} ms");
        await client.SendAsync(new { type = "conversation.item.truncate", item_id = itemId, content_index = 0, audio_end_ms = played });
        var truncated = await client.WaitForAsync("conversation.item.truncated", 10);
        Assert.Equal(played, (long)truncated["audio_end_ms"]!);
        Assert.Equal(itemId, (string?)truncated["item_id"]);
    }
}
