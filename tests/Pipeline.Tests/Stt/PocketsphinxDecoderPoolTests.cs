using MediaServer.Pipeline.Stt.Pocketsphinx;

namespace MediaServer.Pipeline.Tests.Stt;

[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class PocketsphinxDecoderPoolTests
{
    [Fact]
    public void A_source_gets_back_the_decoder_it_used_last_and_the_pool_keeps_at_most_its_size()
    {
        using var pool = new PocketsphinxDecoderPool(new PocketsphinxOptions { PoolSize = 2 });
        pool.WarmUp(2);
        Assert.Equal(2, pool.Created);

        var a = pool.Rent("session-a");
        var b = pool.Rent("session-b");
        Assert.NotSame(a, b);
        pool.Return(a, "session-a");
        pool.Return(b, "session-b");

        Assert.Same(a, pool.Rent("session-a"));
        Assert.Same(b, pool.Rent("session-b"));
        Assert.Equal(2, pool.Created);

        // A third concurrent utterance gets a new decoder, which is freed on return because the pool is full.
        var c = pool.Rent("session-c");
        Assert.Equal(3, pool.Created);
        pool.Return(a, "session-a");
        pool.Return(b, "session-b");
        pool.Return(c, "session-c");
        Assert.Equal(2, pool.IdleCount);

        // An unknown source takes the most recently used decoder rather than building one.
        Assert.True(pool.TryRentIdle("session-d", out var d));
        Assert.Same(b, d);
    }
}
