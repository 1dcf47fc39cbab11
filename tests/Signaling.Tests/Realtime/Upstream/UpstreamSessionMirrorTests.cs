using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;
using MediaServer.Signaling.Realtime.Upstream;

namespace MediaServer.Signaling.Tests.Realtime.Upstream;

public sealed class UpstreamSessionMirrorTests
{
    private static JsonObject Mirror(SessionConfig config, UpstreamProviderOptions provider, string model = "m", string? additions = null) =>
        JsonNode.Parse(UpstreamSessionMirror.Build(config, new UpstreamTarget("u", provider, model), additions))!.AsObject();

    private static SessionConfig Config() => new()
    {
        Instructions = "Be brief.\nTAGS",
        InputFormat = new RealtimeAudioFormat(AudioEncoding.PcmU),
        OutputFormat = new RealtimeAudioFormat(AudioEncoding.PcmA),
        Transcription = new TranscriptionConfig("pocketsphinx", "en", null),
        ProviderData = new JsonObject { ["tts"] = new JsonObject { ["speed"] = 1 } },
    };

    [Fact]
    public void Openai_gets_the_whole_session_in_pcm_24k_without_our_own_fields()
    {
        var update = Mirror(Config(), new UpstreamProviderOptions(), additions: "TAGS");
        Assert.Equal("session.update", (string?)update["type"]);
        var session = update["session"]!.AsObject();
        Assert.Equal("realtime", (string?)session["type"]);
        Assert.False(session.ContainsKey("id"));
        Assert.False(session.ContainsKey("object"));
        Assert.False(session.ContainsKey("expires_at"));
        Assert.False(session.ContainsKey("model"));
        Assert.False(session.ContainsKey("providerData"));
        Assert.False(session.ContainsKey("prompt"));
        Assert.Equal("Be brief.", (string?)session["instructions"]);
        Assert.Equal("audio/pcm", (string?)session["audio"]!["input"]!["format"]!["type"]);
        Assert.Equal(24000, (int?)session["audio"]!["output"]!["format"]!["rate"]);
        Assert.Equal("server_vad", (string?)session["audio"]!["input"]!["turn_detection"]!["type"]);
        Assert.Equal("pocketsphinx", (string?)session["audio"]!["input"]!["transcription"]!["model"]);
    }

    [Fact]
    public void Local_turns_switch_the_upstreams_turn_detection_off()
    {
        var session = Mirror(Config(), new UpstreamProviderOptions { TurnDetection = "local" })["session"]!;
        var input = session["audio"]!["input"]!.AsObject();
        Assert.True(input.ContainsKey("turn_detection"));
        Assert.Null(input["turn_detection"]);
    }

    [Fact]
    public void Inworld_gets_the_model_and_provider_data_and_the_configured_transcription_model()
    {
        var session = Mirror(Config(), new UpstreamProviderOptions { Dialect = "inworld", TranscriptionModel = "inworld/inworld-stt-1" }, "openai/gpt-4o-mini")["session"]!;
        Assert.Equal("openai/gpt-4o-mini", (string?)session["model"]);
        Assert.Equal(1, (int?)session["providerData"]!["tts"]!["speed"]);
        Assert.Equal("inworld/inworld-stt-1", (string?)session["audio"]!["input"]!["transcription"]!["model"]);
        Assert.Equal("en", (string?)session["audio"]!["input"]!["transcription"]!["language"]);
    }

    [Fact]
    public void What_we_send_is_a_session_our_own_reader_accepts()
    {
        // Our server is a valid upstream for another node: the mirror must pass its strict reader.
        var session = Mirror(Config(), new UpstreamProviderOptions { Dialect = "inworld" })["session"]!;
        var target = new SessionConfig();
        Assert.Empty(SessionConfigReader.Apply(target, JsonDocument.Parse(session.ToJsonString()).RootElement));
        Assert.Equal(RealtimeAudioFormat.Pcm24k, target.InputFormat);
    }

    [Fact]
    public void Playback_reports_what_was_heard_of_the_current_item()
    {
        var playback = new UpstreamPlayback();
        playback.OnResponseCreated("resp_1");
        Assert.True(playback.OnAudio("resp_1", "item_1", 24_000));
        Assert.False(playback.OnAudio("resp_1", "item_1", 12_000));
        Assert.Equal(1500, playback.AudioItemMs);
        Assert.Equal(1200, playback.PlayedMs(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, playback.PlayedMs(TimeSpan.FromSeconds(5)));
        Assert.True(playback.OnAudio("resp_2", "item_2", 2_400));
        Assert.Equal(100, playback.AudioItemMs);
    }
}
