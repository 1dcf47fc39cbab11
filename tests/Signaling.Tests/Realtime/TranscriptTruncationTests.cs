using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Tests.Realtime;

public sealed class TranscriptTruncationTests
{
    private static readonly SpokenSegment[] Spoken =
    [
        new("One two three four.", 0, 1000),
        new("Five six seven eight.", 1000, 2000),
    ];

    [Theory]
    [InlineData(0, "")]
    [InlineData(500, "One two")]
    [InlineData(1000, "One two three four.")]
    [InlineData(1750, "One two three four. Five six seven")]
    [InlineData(5000, "One two three four. Five six seven eight.")]
    public void Keeps_what_was_heard(long audioEndMs, string expected) =>
        Assert.Equal(expected, TranscriptTruncation.Cut(Spoken, audioEndMs));
}
