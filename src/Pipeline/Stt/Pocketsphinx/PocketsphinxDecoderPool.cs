namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// Keeps built decoders for reuse: one decoder serves one utterance at a time, and at most
/// <see cref="PocketsphinxOptions.PoolSize"/> idle ones are kept. Decoders are built lazily on first need
/// (or ahead of time by <see cref="WarmUp"/>), because building one takes about half a second of CPU.
/// A decoder remembers the <see cref="TranscriptionRequest.Affinity"/> it last served; a request with the same
/// key gets it back when it is idle, so a session keeps the channel normalisation it adapted to.
/// </summary>
internal sealed class PocketsphinxDecoderPool(PocketsphinxOptions options) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(PocketsphinxDecoder Decoder, string? Affinity)> _idle = [];
    private int _created;
    private bool _disposed;

    /// <summary>Decoders built since start (reuse keeps this at the peak concurrency).</summary>
    public int Created => Volatile.Read(ref _created);

    public int IdleCount
    {
        get
        {
            lock (_gate) return _idle.Count;
        }
    }

    /// <summary>Takes an idle decoder if there is one (cheap, never builds): the one last used for
    /// <paramref name="affinity"/> if any, else one that no source has claimed, else the most recently used.</summary>
    public bool TryRentIdle(string? affinity, out PocketsphinxDecoder decoder)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var index = -1;
            if (affinity is not null) index = _idle.FindLastIndex(e => string.Equals(e.Affinity, affinity, StringComparison.Ordinal));
            if (index < 0) index = _idle.FindLastIndex(e => e.Affinity is null);
            if (index < 0) index = _idle.Count - 1;
            if (index < 0)
            {
                decoder = null!;
                return false;
            }

            decoder = _idle[index].Decoder;
            _idle.RemoveAt(index);
            return true;
        }
    }

    /// <summary>Takes an idle decoder or builds one (about half a second of CPU).</summary>
    public PocketsphinxDecoder Rent(string? affinity)
    {
        if (TryRentIdle(affinity, out var decoder)) return decoder;
        lock (_gate) ObjectDisposedException.ThrowIf(_disposed, this);
        decoder = PocketsphinxDecoder.Create(options);
        Interlocked.Increment(ref _created);
        return decoder;
    }

    /// <summary>Keeps <paramref name="decoder"/> for the next utterance (of <paramref name="affinity"/> first),
    /// or frees it when the pool is full or disposed.</summary>
    public void Return(PocketsphinxDecoder decoder, string? affinity)
    {
        lock (_gate)
        {
            if (!_disposed && _idle.Count < options.PoolSize)
            {
                _idle.Add((decoder, affinity));
                return;
            }
        }

        decoder.Dispose();
    }

    /// <summary>Builds decoders until <paramref name="count"/> are idle (capped at the pool size).</summary>
    public void WarmUp(int count)
    {
        count = Math.Min(count, options.PoolSize);
        while (IdleCount < count)
        {
            var decoder = PocketsphinxDecoder.Create(options);
            Interlocked.Increment(ref _created);
            Return(decoder, null);
        }
    }

    public void Dispose()
    {
        List<(PocketsphinxDecoder Decoder, string? Affinity)> idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var (decoder, _) in idle) decoder.Dispose();
    }
}
