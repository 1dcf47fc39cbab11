using System.Runtime.CompilerServices;
using MediaServer.Signaling.Realtime.Inworld;

namespace MediaServer.Signaling.Tests.Realtime.Inworld;

public sealed class FillerStreamTests
{
    [Fact]
    public async Task SlowFirstTokenGetsTheFillerFirstAndOnce()
    {
        var order = new List<string>();
        var stream = FillerStream.WithFiller(Tokens(TimeSpan.FromMilliseconds(400), ["", "Hello", " there"]), t => t.Length > 0,
            TimeSpan.FromMilliseconds(50), _ =>
            {
                order.Add("[filler]");
                return Task.CompletedTask;
            }, CancellationToken.None);
        await foreach (var token in stream) order.Add(token);
        // The empty role-like chunk came at once and did not count as the first token.
        Assert.Equal(["", "[filler]", "Hello", " there"], order);
    }

    [Fact]
    public async Task FastFirstTokenGetsNoFiller()
    {
        int fillers = 0;
        var stream = FillerStream.WithFiller(Tokens(TimeSpan.Zero, ["Hello", " there"]), t => t.Length > 0, TimeSpan.FromSeconds(5), _ =>
        {
            fillers++;
            return Task.CompletedTask;
        }, CancellationToken.None);
        var tokens = new List<string>();
        await foreach (var token in stream) tokens.Add(token);
        Assert.Equal(["Hello", " there"], tokens);
        Assert.Equal(0, fillers);
    }

    [Fact]
    public async Task CancellationStopsTheWait()
    {
        using var cts = new CancellationTokenSource(100);
        var stream = FillerStream.WithFiller(Tokens(TimeSpan.FromSeconds(30), ["late"]), t => t.Length > 0, TimeSpan.FromSeconds(20),
            _ => Task.CompletedTask, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in stream)
            {
            }
        });
    }

    [Fact]
    public void FillerStepIsShownAndSpoken()
    {
        var step = FillerStream.Step("Let me think.");
        Assert.Equal("Let me think. ", step.DisplayDelta);
        Assert.Equal("Let me think.", Assert.IsType<MediaServer.Pipeline.Expressive.SpeakSegment>(Assert.Single(step.Segments)).Text);
    }

    /// <summary>Yields an empty chunk at once when the first token is empty, then waits, then the rest. Like an LLM
    /// client it stops waiting when the enumeration is cancelled.</summary>
    private static async IAsyncEnumerable<string> Tokens(TimeSpan delay, string[] tokens, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var (token, i) in tokens.Select((t, i) => (t, i)))
        {
            if (i == 0 && token.Length == 0)
            {
                yield return token;
                continue;
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
                delay = TimeSpan.Zero;
            }

            yield return token;
        }
    }
}
