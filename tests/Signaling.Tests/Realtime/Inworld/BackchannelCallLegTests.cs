using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaServer.Pipeline.Llm;
using MediaServer.Pipeline.Stub;
using MediaServer.Pipeline.Vad;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Signaling.Tests.Realtime.Inworld;

/// <summary>
/// A session on a call leg (WebRTC or SIP: the server owns playback): the back-channel goes onto the outgoing track at
/// <c>volume_gain</c>, with only its <c>done</c> event on the event channel, while the caller is still speaking.
/// </summary>
public sealed class BackchannelCallLegTests
{
    [Fact]
    public async Task BackchannelIsPlayedOnTheIdleTrackAtTheConfiguredGain()
    {
        var leg = new FakeLeg();
        var sink = new EventSink();
        var config = new SessionConfig
        {
            TurnDetection = new TurnDetectionConfig { SilenceDurationMs = 2000 },
            ProviderData = JsonNode.Parse("""
                {"backchannel":{"enabled":true,"decider_kind":"rule","min_speech_ms":500,"eval_interval_ms":100,
                 "max_per_turn":1,"allowed_phrases":["uh-huh"],"volume_gain":0.5}}
                """)!.AsObject(),
        };
        var engines = new RealtimeEngines(new StubSpeechToText(), new StubTextToSpeech(), new ChatClientProvider(new LlmOptions()), () => new EnergyVad());
        using var session = new RealtimeSession(config, engines, sink, new RealtimeSessionOptions(), NullLogger.Instance, leg);
        session.Start();

        short[] speech = Speech();
        var deadline = Stopwatch.StartNew();
        int at = 0;
        while (!sink.Types.Contains("response.backchannel.audio.done") && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            // 20 ms frames in real time; the speech loops so the caller keeps talking until the acknowledgement is out.
            session.AppendCallAudio(speech.AsSpan(at, 320), 16_000);
            at = (at + 320) % (speech.Length - 320);
            await Task.Delay(20);
        }

        Assert.Contains("input_audio_buffer.speech_started", sink.Types);
        Assert.DoesNotContain("input_audio_buffer.speech_stopped", sink.Types);
        var done = sink.Events.Single(e => (string?)e["type"] == "response.backchannel.audio.done");
        Assert.Equal("uh-huh", (string?)done["phrase"]);
        Assert.DoesNotContain("response.backchannel.audio.delta", sink.Types); // the server plays it, not the client
        Assert.DoesNotContain(sink.Types, t => t!.StartsWith("response.created", StringComparison.Ordinal));

        // The stub TTS speaks a 6000-peak tone: at volume_gain 0.5 the track carries a 3000-peak tone.
        var played = leg.Output.ToArray();
        Assert.True(played.Length > 16_000 / 4, $"{played.Length} samples");
        Assert.InRange(played.Max(s => Math.Abs((int)s)), 2700, 3100);
    }

    /// <summary>flite's slt voice at 16 kHz after half a second of silence (the energy VAD learns the floor first).</summary>
    private static short[] Speech()
    {
        string wav = Path.Combine(Path.GetTempPath(), $"bc-{Guid.NewGuid():N}.wav");
        try
        {
            using (var p = Process.Start(new ProcessStartInfo("flite", ["-voice", "slt", "-t", "I would like to tell you a rather long story about my trip to the mountains last summer", "-o", wav]))!)
            {
                p.WaitForExit();
            }

            byte[] bytes = File.ReadAllBytes(wav);
            var pcm = new short[8000 + ((bytes.Length - 44) / 2)];
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes.AsSpan(44, (bytes.Length - 44) & ~1)).CopyTo(pcm.AsSpan(8000));
            return pcm;
        }
        finally
        {
            File.Delete(wav);
        }
    }

    private sealed class EventSink : IRealtimeEventSink
    {
        private readonly ConcurrentQueue<JsonObject> _events = new();

        public IReadOnlyList<JsonObject> Events => [.. _events];

        public List<string?> Types => [.. _events.Select(e => (string?)e["type"])];

        public void Send(byte[] utf8Json) => _events.Enqueue(JsonNode.Parse(utf8Json)!.AsObject());
    }

    private sealed class FakeLeg : ICallMediaLeg
    {
        public ConcurrentQueue<short> Output { get; } = new();

        public string Transport => "webrtc";

        public string Codec => "opus";

        public int InputSampleRate => 16_000;

        public int OutputSampleRate => 16_000;

        public TimeSpan QueuedOutput => TimeSpan.Zero; // played out at once

        public void Start(ICallMediaSink sink)
        {
        }

        public void EnqueueOutput(ReadOnlySpan<short> pcm)
        {
            foreach (var s in pcm) Output.Enqueue(s);
        }

        public TimeSpan ClearOutput() => TimeSpan.Zero;

        public ValueTask HangUpAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
