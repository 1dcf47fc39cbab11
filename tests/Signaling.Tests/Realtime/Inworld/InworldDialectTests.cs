using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Pipeline.Expressive;
using MediaServer.Pipeline.Text;
using MediaServer.Signaling.Realtime.Inworld;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.Tests.Realtime.Inworld;

public sealed class InworldDialectTests
{
    [Theory]
    [InlineData("sess-123", true)]
    [InlineData("a.b:c_d", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("quote\"", false)]
    [InlineData("<script>", false)]
    public void SaneKeys(string key, bool sane) => Assert.Equal(sane, InworldDialect.IsSaneKey(key));

    [Fact]
    public void TooLongKeyIsNotSane() => Assert.False(InworldDialect.IsSaneKey(new string('a', InworldDialect.MaxKeyLength + 1)));

    [Fact]
    public void InworldPathTakesTheKeyAndRollingDeltas()
    {
        var config = new SessionConfig();
        InworldDialect.Apply(Request("/api/v1/realtime/session", "?key=my-session&protocol=realtime"), config, _ => false);
        Assert.Equal("my-session", config.Id);
        Assert.True(config.RollingTranscriptionDeltas);
    }

    [Fact]
    public void TakenOrInsaneKeyKeepsOurIdAndOpenAiPathIsUntouched()
    {
        var taken = new SessionConfig();
        string id = taken.Id;
        InworldDialect.Apply(Request("/api/v1/realtime/session", "?key=dup&protocol=realtime"), taken, k => k == "dup");
        Assert.Equal(id, taken.Id);

        var insane = new SessionConfig();
        InworldDialect.Apply(Request("/api/v1/realtime/session", "?key=a%20b"), insane, _ => false);
        Assert.StartsWith("sess_", insane.Id, StringComparison.Ordinal);

        var openAi = new SessionConfig();
        InworldDialect.Apply(Request("/v1/realtime", "?key=abc"), openAi, _ => false);
        Assert.False(openAi.RollingTranscriptionDeltas);
        Assert.StartsWith("sess_", openAi.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void SttOverridesMapOntoServerVad()
    {
        var td = new TurnDetectionConfig();
        var data = Json("""{"stt":{"vad_threshold":0.7,"min_end_of_turn_silence":300,"end_of_turn_confidence_threshold":0.5}}""");
        var effective = InworldSttOverrides.Apply(td, data)!;
        Assert.Equal(0.7, effective.Threshold);
        Assert.Equal(300, effective.SilenceDurationMs);

        var capped = InworldSttOverrides.Apply(td with { SilenceDurationMs = 2000 }, Json("""{"stt":{"max_turn_silence":900}}"""))!;
        Assert.Equal(900, capped.SilenceDurationMs);

        Assert.Null(InworldSttOverrides.Apply(td, Json("""{"stt":{"vad_threshold":0}}""")));
        Assert.Same(td, InworldSttOverrides.Apply(td, Json("""{"stt":{"vad_threshold":"high"}}""")));
        Assert.Same(td, InworldSttOverrides.Apply(td, null));
        var semantic = new TurnDetectionConfig { Type = "semantic_vad" };
        Assert.Equal(semantic, InworldSttOverrides.Apply(semantic, Json("""{"stt":{"min_end_of_turn_silence":100}}""")));
    }

    [Theory]
    [InlineData("""{"tts":{"segmenter_strategy":"fast_start"}}""", SegmentationMode.FastStart)]
    [InlineData("""{"tts":{"segmenter_strategy":"full_turn"}}""", SegmentationMode.FullTurn)]
    [InlineData("""{"tts":{"segmenter_strategy":"sentence"}}""", SegmentationMode.Sentence)]
    [InlineData("""{"tts":{"segmenter_strategy":"balanced"}}""", SegmentationMode.Sentence)]
    [InlineData("""{}""", SegmentationMode.Sentence)]
    public void SegmenterStrategyMaps(string providerData, SegmentationMode mode) =>
        Assert.Equal(mode, InworldTtsSettings.Segmentation(Json(providerData)));

    [Fact]
    public void SegmentationModesCutTheReplyDifferently()
    {
        const string reply = "Well, I think so. It is sunny today, and warm. ";
        Assert.Equal(["Well, I think so.", "It is sunny today, and warm."], Pieces(SegmentationMode.Sentence, reply));
        Assert.Equal(["Well, I think so.", "It is sunny today, and warm."], Pieces(SegmentationMode.FastStart, reply)); // "Well," is under 8 characters
        Assert.Equal(["Okay then,", "I think so.", "It is sunny today, and warm."], Pieces(SegmentationMode.FastStart, "Okay then, I think so. It is sunny today, and warm. "));
        Assert.Equal(["Well, I think so. It is sunny today, and warm."], Pieces(SegmentationMode.FullTurn, reply));
    }

    [Fact]
    public void SessionReadsTemperatureAndTtsModelAndEchoesThem()
    {
        var config = new SessionConfig();
        var errors = SessionConfigReader.Apply(config, JsonDocument.Parse("""{"temperature":0.4,"audio":{"output":{"model":"espeak-ng","speed":0.5}}}""").RootElement);
        Assert.Empty(errors);
        Assert.Equal(0.4, config.Temperature);
        Assert.Equal("espeak-ng", config.OutputModel);
        var echoed = JsonNode.Parse(Write(config))!;
        Assert.Equal(0.4, (double)echoed["temperature"]!);
        Assert.Equal("espeak-ng", (string?)echoed["audio"]!["output"]!["model"]);

        Assert.Single(SessionConfigReader.Apply(config, JsonDocument.Parse("""{"temperature":3}""").RootElement));
        Assert.Single(SessionConfigReader.Apply(config, JsonDocument.Parse("""{"audio":{"output":{"speed":2}}}""").RootElement));
    }

    [Fact]
    public void ResponseTemperatureIsRead()
    {
        var errors = new List<MediaServer.Signaling.Realtime.Protocol.RealtimeError>();
        var request = ResponseRequest.Read(JsonDocument.Parse("""{"temperature":1.1}""").RootElement, new MediaServer.Signaling.Realtime.Conversation.ConversationLog(), errors);
        Assert.Empty(errors);
        Assert.Equal(1.1, request.Temperature);
    }

    [Theory]
    [InlineData("audio")]
    [InlineData("output_audio")]
    [InlineData("text")]
    public void AssistantContentSpellingsAreAccepted(string type)
    {
        var errors = new List<MediaServer.Signaling.Realtime.Protocol.RealtimeError>();
        var item = MediaServer.Signaling.Realtime.Conversation.ConversationItemReader.Read(
            JsonDocument.Parse($$"""{"type":"message","role":"assistant","content":[{"type":"{{type}}","text":"hi","transcript":"hi"}]}""").RootElement, "item", errors);
        Assert.Empty(errors);
        Assert.Equal("hi", item!.Text);
    }

    private static List<string> Pieces(SegmentationMode mode, string reply)
    {
        var planner = new ExpressiveSpeechPlanner(segmentation: mode);
        var pieces = new List<string>();
        foreach (var word in reply.Split(' '))
        {
            pieces.AddRange(planner.Append(word + " ").Segments.OfType<SpeakSegment>().Select(s => s.Text));
        }

        pieces.AddRange(planner.Complete().Segments.OfType<SpeakSegment>().Select(s => s.Text));
        return pieces;
    }

    private static string Write(SessionConfig config)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) config.WriteTo(w);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonObject? Json(string json) => JsonNode.Parse(json)!.AsObject();

    private static HttpContext Request(string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }
}
