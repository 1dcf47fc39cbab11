using MediaServer.Pipeline.Tts;
using MediaServer.Pipeline.Tts.OpenAi;

namespace MediaServer.Pipeline.Tests.Cloud;

public sealed class SpeechInstructionsTests
{
    [Fact]
    public void A_neutral_span_has_nothing_to_say() =>
        Assert.Null(SpeechInstructions.Describe(new SpeechStyle()));

    [Fact]
    public void No_style_has_nothing_to_say() => Assert.Null(SpeechInstructions.Describe(null));

    [Theory]
    [InlineData(1, 1, 0.7, false, "Speak softly.")]
    [InlineData(1, 1, 1.3, false, "Speak loudly.")]
    [InlineData(1, 1, 1.6, false, "Speak very loudly.")]
    [InlineData(1, 0.85, 1, false, "Use a lower, darker pitch.")]
    [InlineData(0.5, 1, 1, false, null)] // rate goes out as the request's speed
    [InlineData(1, 1, 1, true, "Whisper.")]
    public void Each_prosody_change_reads_as_one_instruction(double rate, double pitch, double volume, bool whisper, string? expected) =>
        Assert.Equal(expected, SpeechInstructions.Describe(new SpeechStyle(rate, pitch, volume, whisper)));
}
