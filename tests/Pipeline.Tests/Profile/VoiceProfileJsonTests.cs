using System.Text;
using System.Text.Json;
using MediaServer.Pipeline.Profile;

namespace MediaServer.Pipeline.Tests.Profile;

public class VoiceProfileJsonTests
{
    [Fact]
    public void WritesTheInworldShapeSortedAndRounded()
    {
        var profile = new VoiceProfile(
            emotion: [new("sad", 0.2), new("neutral", 0.6)],
            vocalStyle: [new("soft", 0.81234)],
            pitch: [new("mid", 0.3), new("low", 0.7)],
            speakingRate: [new("slow", 1.7)],
            features: default);

        Assert.Equal(
            """{"emotion":[{"label":"neutral","confidence":0.6},{"label":"sad","confidence":0.2}],"vocal_style":[{"label":"soft","confidence":0.81}],"pitch":[{"label":"low","confidence":0.7},{"label":"mid","confidence":0.3}],"speaking_rate":[{"label":"slow","confidence":1}],"age":[{"label":"unknown","confidence":0}],"accent":[{"label":"unknown","confidence":0}]}""",
            Write(profile));
    }

    [Fact]
    public void EmptyDimensionBecomesUnknown()
    {
        var profile = new VoiceProfile([], [], [], [], default);
        using var doc = JsonDocument.Parse(Write(profile));
        foreach (var dimension in doc.RootElement.EnumerateObject())
        {
            var only = Assert.Single(dimension.Value.EnumerateArray());
            Assert.Equal("unknown", only.GetProperty("label").GetString());
            Assert.Equal(0, only.GetProperty("confidence").GetDouble());
        }

        Assert.Equal(6, doc.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void ContextNoteNamesTopLabelsOnly()
    {
        var profile = new VoiceProfile([new("neutral", 0.5)], [new("whispering", 0.9), new("soft", 0.4)], [new("unknown", 0)], [new("fast", 0.8)], default);
        Assert.Equal("voice: emotion=neutral(0.5) style=whispering(0.9) rate=fast(0.8)", profile.ToContextNote());
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("cat", 1)]
    [InlineData("make the cake", 3)]
    [InlineData("tomorrow morning", 5)]
    [InlineData("I would like to book a table", 8)]
    [InlineData("call 911", 4)]
    public void SyllableCounterIsCloseOnPlainEnglish(string text, int expected)
    {
        Assert.Equal(expected, SyllableCounter.Count(text));
    }

    private static string Write(VoiceProfile profile)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) profile.WriteTo(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
