using System.Text.Json;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Tests.Realtime;

public sealed class SessionConfigReaderTests
{
    private static List<MediaServer.Signaling.Realtime.Protocol.RealtimeError> Apply(SessionConfig config, string json) =>
        SessionConfigReader.Apply(config, JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Partial_update_changes_only_the_fields_present()
    {
        var config = new SessionConfig { Instructions = "keep", Voice = "alloy" };
        Assert.Empty(Apply(config, """{"type":"realtime","audio":{"output":{"voice":"cedar"}}}"""));
        Assert.Equal("keep", config.Instructions);
        Assert.Equal("cedar", config.Voice);
        Assert.Equal("server_vad", config.TurnDetection!.Type);
    }

    [Fact]
    public void Null_turns_off_turn_detection_and_transcription()
    {
        var config = new SessionConfig { Transcription = new TranscriptionConfig("whisper-1", null, null) };
        Assert.Empty(Apply(config, """{"audio":{"input":{"turn_detection":null,"transcription":null}}}"""));
        Assert.Null(config.TurnDetection);
        Assert.Null(config.Transcription);
    }

    [Fact]
    public void Same_type_turn_detection_merges_and_a_new_type_starts_from_defaults()
    {
        var config = new SessionConfig();
        Assert.Empty(Apply(config, """{"audio":{"input":{"turn_detection":{"type":"server_vad","silence_duration_ms":900}}}}"""));
        Assert.Empty(Apply(config, """{"audio":{"input":{"turn_detection":{"threshold":0.7}}}}"""));
        Assert.Equal(900, config.TurnDetection!.SilenceDurationMs);
        Assert.Equal(0.7, config.TurnDetection.Threshold);
        Assert.Empty(Apply(config, """{"audio":{"input":{"turn_detection":{"type":"semantic_vad"}}}}"""));
        Assert.Equal("auto", config.TurnDetection!.Eagerness);
        Assert.Equal(500, config.TurnDetection.SilenceDurationMs);
    }

    [Theory]
    [InlineData("""{"foo":1}""", "session.foo")]
    [InlineData("""{"type":"transcription"}""", "session.type")]
    [InlineData("""{"output_modalities":["video"]}""", "session.output_modalities")]
    [InlineData("""{"audio":{"output":{"speed":0.1}}}""", "session.audio.output.speed")]
    [InlineData("""{"audio":{"input":{"turn_detection":{"type":"semantic_vad","eagerness":"eager"}}}}""", "session.audio.input.turn_detection.eagerness")]
    [InlineData("""{"tools":[{"type":"function"}]}""", "session.tools[0].name")]
    [InlineData("""{"tools":[{"type":"mcp","server_label":"x"}]}""", "session.tools[0].server_url")]
    [InlineData("""{"tool_choice":"sometimes"}""", "session.tool_choice")]
    [InlineData("""{"max_output_tokens":5000}""", "session.max_output_tokens")]
    public void Invalid_fields_are_reported_with_their_path(string json, string param)
    {
        var errors = Apply(new SessionConfig(), json);
        Assert.Contains(errors, e => e.Param == param);
    }

    [Fact]
    public void Provider_data_is_deep_merged_and_echoed()
    {
        var config = new SessionConfig();
        Assert.Empty(Apply(config, """{"providerData":{"stt":{"voice_profile":true},"tts":{"language":"en"}}}"""));
        Assert.Empty(Apply(config, """{"providerData":{"stt":{"prompt":"names"}}}"""));
        Assert.Equal(true, (bool?)config.ProviderData!["stt"]!["voice_profile"]);
        Assert.Equal("names", (string?)config.ProviderData["stt"]!["prompt"]);
        Assert.Equal("en", (string?)config.ProviderData["tts"]!["language"]);
    }

    [Fact]
    public void Beta_format_strings_are_tolerated_on_input()
    {
        var config = new SessionConfig();
        Assert.Empty(Apply(config, """{"audio":{"input":{"format":"g711_ulaw"}}}"""));
        Assert.Equal(MediaServer.Signaling.Realtime.Protocol.AudioEncoding.PcmU, config.InputFormat.Encoding);
    }
}
