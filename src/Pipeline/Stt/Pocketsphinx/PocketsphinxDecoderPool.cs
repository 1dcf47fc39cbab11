using System.Collections.Concurrent;

namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// Keeps built decoders for reuse: one decoder serves one utterance at a time, and at most
/// <see cref="PocketsphinxOptions.PoolSize"/> idle ones are kept. Decoders are built lazily on first need
/// (or ahead of time by <see cref="WarmUp"/>), because building one takes about half a second of CPU.
/// </summary>
internal sealed class PocketsphinxDecoderPool(PocketsphinxOptions options) : IDisposable
{
    private readonly ConcurrentBag<PocketsphinxDecoder> _idle = [];
    private int _idleCount;
    private int _created;
    private volatile bool _disposed;

    /// <summary>Decoders built since start (reuse keeps this at the peak concurrency).</summary>
    public int Created => Volatile.Read(ref _created);

    public int IdleCount => Volatile.Read(ref _idleCount);

    /// <summary>Takes an idle decoder if there is one (cheap, never builds).</summary>
    public bool TryRentIdle(out PocketsphinxDecoder decoder)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out decoder!))
        {
            Interlocked.Decrement(ref _idleCount);
            return true;
        }

        return false;
    }

    /// <summary>Takes an idle decoder or builds one (about half a second of CPU).</summary>
    public PocketsphinxDecoder Rent()
    {
        if (TryRentIdle(out var decoder)) return decoder;
        ObjectDisposedException.ThrowIf(_disposed, this);
        decoder = PocketsphinxDecoder.Create(options);
        Interlocked.Increment(ref _created);
        return decoder;
    }

    public void Return(PocketsphinxDecoder decoder)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > options.PoolSize)
        {
            if (!_disposed) Interlocked.Decrement(ref _idleCount);
            decoder.Dispose();
            return;
        }

        _idle.Add(decoder);
    }

    /// <summary>Builds decoders until <paramref name="count"/> are idle (capped at the pool size).</summary>
    public void WarmUp(int count)
    {
        count = Math.Min(count, options.PoolSize);
        while (IdleCount < count)
        {
            var decoder = PocketsphinxDecoder.Create(options);
            Interlocked.Increment(ref _created);
            Return(decoder);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var decoder)) decoder.Dispose();
    }
}
