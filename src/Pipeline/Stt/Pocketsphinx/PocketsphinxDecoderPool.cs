namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// Owns the decoders: one decoder serves one utterance at a time, at most
/// <see cref="PocketsphinxOptions.MaxDecoders"/> exist at once and at most <see cref="PocketsphinxOptions.PoolSize"/>
/// idle ones are kept. Decoders are built lazily (or ahead of time by <see cref="WarmUp"/>), because building one
/// takes about half a second of CPU and some 75 MB.
/// A decoder remembers the <see cref="TranscriptionRequest.Affinity"/> it last served; a request with the same
/// key gets it back when it is idle, so a session keeps the channel normalisation it adapted to.
/// <para>
/// Why the bound and the queue: when recognition runs slower than real time (an overloaded machine), utterances
/// overlap more, and building a decoder for every one of them made it worse: more decoders decoding at once,
/// each on its own pool thread, more memory, slower still (the 30-minute soak grew to 6.8 GB and 400 threads).
/// Now an utterance that finds no idle decoder and the limit reached waits in a queue without holding a thread,
/// and one that waited longer than <see cref="PocketsphinxOptions.DecoderWaitSeconds"/> is refused (shed) rather
/// than adding to a backlog that cannot be caught up.
/// </para>
/// </summary>
internal sealed class PocketsphinxDecoderPool(PocketsphinxOptions options) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(PocketsphinxDecoder Decoder, string? Affinity)> _idle = [];
    private readonly Queue<(IPocketsphinxDecoderWaiter Waiter, long Since)> _waiters = new();
    private readonly int _maxDecoders = options.EffectiveMaxDecoders;
    private int _created;
    private int _live;
    private int _peakLive;
    private int _shed;
    private bool _building;
    private bool _disposed;

    /// <summary>Decoders built since start (reuse keeps this near the peak concurrency).</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>The most decoders that existed at once (built, idle or serving, or being built).</summary>
    public int PeakLive
    {
        get
        {
            lock (_gate) return _peakLive;
        }
    }

    /// <summary>Utterances refused because no decoder became free within the wait limit.</summary>
    public int Shed => Volatile.Read(ref _shed);

    /// <summary>Utterances waiting for a decoder now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _waiters.Count;
        }
    }

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
            return TakeIdle(affinity, out decoder);
        }
    }

    /// <summary>
    /// Hands <paramref name="waiter"/> a decoder on the thread pool: an idle one, one built for it (one build at a
    /// time, on one pool thread) while fewer than <see cref="PocketsphinxOptions.MaxDecoders"/> exist, or the next
    /// one returned. No thread waits meanwhile.
    /// </summary>
    public void RentAsync(string? affinity, IPocketsphinxDecoderWaiter waiter)
    {
        PocketsphinxDecoder? decoder;
        bool build;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!TakeIdle(affinity, out decoder))
            {
                decoder = null;
                if (options.DecoderWaitSeconds == 0 && _live >= _maxDecoders)
                {
                    Interlocked.Increment(ref _shed);
                    PocketsphinxMetrics.Shed.Add(1);
                    Hand(waiter, null, Overloaded());
                    return;
                }

                _waiters.Enqueue((waiter, System.Diagnostics.Stopwatch.GetTimestamp()));
                PocketsphinxMetrics.Waiting.Add(1);
            }

            build = StartBuildIfNeeded();
        }

        if (decoder is not null) Hand(waiter, decoder, null);
        if (build) ThreadPool.UnsafeQueueUserWorkItem(static pool => pool.BuildOne(), this, preferLocal: false);
    }

    /// <summary>Takes an idle decoder or builds one now on the calling thread, whatever the limit (tests, warm-up).</summary>
    public PocketsphinxDecoder Rent(string? affinity)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (TakeIdle(affinity, out var idle)) return idle;
            CountLive(+1);
        }

        try
        {
            var decoder = PocketsphinxDecoder.Create(options);
            Interlocked.Increment(ref _created);
            return decoder;
        }
        catch
        {
            lock (_gate) CountLive(-1);
            throw;
        }
    }

    /// <summary>Gives <paramref name="decoder"/> to the longest waiting utterance, else keeps it for the next one
    /// (of <paramref name="affinity"/> first), or frees it when the pool is full or disposed.</summary>
    public void Return(PocketsphinxDecoder decoder, string? affinity)
    {
        IPocketsphinxDecoderWaiter? next;
        lock (_gate)
        {
            next = _disposed ? null : NextWaiter();
            if (next is null)
            {
                if (!_disposed && _idle.Count < options.PoolSize)
                {
                    _idle.Add((decoder, affinity));
                    return;
                }

                CountLive(-1);
            }
        }

        if (next is not null) Hand(next, decoder, null);
        else decoder.Dispose();
    }

    /// <summary>Frees a decoder that failed (it no longer counts against the limit; a waiter may get a new one).</summary>
    public void Discard(PocketsphinxDecoder decoder)
    {
        bool build;
        lock (_gate)
        {
            CountLive(-1);
            build = StartBuildIfNeeded();
        }

        decoder.Dispose();
        if (build) ThreadPool.UnsafeQueueUserWorkItem(static pool => pool.BuildOne(), this, preferLocal: false);
    }

    /// <summary>Builds decoders until <paramref name="count"/> are idle (capped at the pool size).</summary>
    public void WarmUp(int count)
    {
        count = Math.Min(count, Math.Min(options.PoolSize, _maxDecoders));
        while (IdleCount < count)
        {
            lock (_gate) CountLive(+1);
            var decoder = PocketsphinxDecoder.Create(options);
            Interlocked.Increment(ref _created);
            Return(decoder, null);
        }
    }

    public void Dispose()
    {
        List<(PocketsphinxDecoder Decoder, string? Affinity)> idle;
        List<IPocketsphinxDecoderWaiter> waiters;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
            waiters = [.. _waiters.Select(w => w.Waiter)];
            PocketsphinxMetrics.Waiting.Add(-_waiters.Count);
            _waiters.Clear();
        }

        foreach (var (decoder, _) in idle) decoder.Dispose();
        foreach (var waiter in waiters) Hand(waiter, null, new ObjectDisposedException(nameof(PocketsphinxDecoderPool)));
    }

    /// <summary>The single builder: builds one decoder for the first waiter, then goes again while some wait.</summary>
    private void BuildOne()
    {
        while (BuildNext())
        {
        }
    }

    /// <summary>Builds one decoder and hands it over; true when another build is reserved.</summary>
    private bool BuildNext()
    {
        PocketsphinxDecoder? decoder = null;
        Exception? error = null;
        try
        {
            decoder = PocketsphinxDecoder.Create(options);
            Interlocked.Increment(ref _created);
        }
        catch (Exception e)
        {
            error = e;
        }

        IPocketsphinxDecoderWaiter? waiter;
        bool again;
        lock (_gate)
        {
            _building = false;
            if (decoder is null) CountLive(-1);
            waiter = _disposed ? null : NextWaiter();
            again = StartBuildIfNeeded();
        }

        if (waiter is not null) Hand(waiter, decoder, error);
        else if (decoder is not null) Return(decoder, null);
        return again;
    }

    /// <summary>Caller holds <see cref="_gate"/>. Reserves a build when someone waits and the limit allows.</summary>
    private bool StartBuildIfNeeded()
    {
        PruneAbandoned();
        if (_building || _disposed || _live >= _maxDecoders || _waiters.Count == 0) return false;
        _building = true;
        CountLive(+1);
        return true;
    }

    /// <summary>Caller holds <see cref="_gate"/>. The longest waiting utterance still within the wait limit;
    /// the ones past it are refused on the way.</summary>
    private IPocketsphinxDecoderWaiter? NextWaiter()
    {
        long limit = (long)(options.DecoderWaitSeconds * System.Diagnostics.Stopwatch.Frequency);
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        while (_waiters.TryDequeue(out var entry))
        {
            PocketsphinxMetrics.Waiting.Add(-1);
            if (entry.Waiter.Abandoned) continue;
            if (now - entry.Since <= limit) return entry.Waiter;
            Interlocked.Increment(ref _shed);
            PocketsphinxMetrics.Shed.Add(1);
            Hand(entry.Waiter, null, Overloaded());
        }

        return null;
    }

    /// <summary>Caller holds <see cref="_gate"/>. Forgets utterances disposed while they waited, so nothing is
    /// built for them.</summary>
    private void PruneAbandoned()
    {
        var abandoned = 0;
        foreach (var entry in _waiters) if (entry.Waiter.Abandoned) abandoned++;
        if (abandoned == 0) return;
        var keep = _waiters.Where(e => !e.Waiter.Abandoned).ToArray();
        PocketsphinxMetrics.Waiting.Add(keep.Length - _waiters.Count);
        _waiters.Clear();
        foreach (var entry in keep) _waiters.Enqueue(entry);
    }

    /// <summary>Caller holds <see cref="_gate"/>.</summary>
    private bool TakeIdle(string? affinity, out PocketsphinxDecoder decoder)
    {
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

    /// <summary>Caller holds <see cref="_gate"/>.</summary>
    private void CountLive(int delta)
    {
        _live += delta;
        PocketsphinxMetrics.Decoders.Add(delta);
        if (_live > _peakLive) _peakLive = _live;
    }

    private TimeoutException Overloaded() => new(
        $"no pocketsphinx decoder became free within {options.DecoderWaitSeconds:0.###} s ({_maxDecoders} at most): recognition is slower than the audio arrives");

    /// <summary>Always on the thread pool, never under <see cref="_gate"/>: the waiter takes its own locks.</summary>
    private static void Hand(IPocketsphinxDecoderWaiter waiter, PocketsphinxDecoder? decoder, Exception? error) =>
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Waiter.OnDecoder(s.Decoder, s.Error), (Waiter: waiter, Decoder: decoder, Error: error), preferLocal: false);
}

/// <summary>An utterance waiting for a decoder from <see cref="PocketsphinxDecoderPool.RentAsync"/>.</summary>
internal interface IPocketsphinxDecoderWaiter
{
    /// <summary>True once the utterance was disposed: it needs no decoder any more.</summary>
    bool Abandoned { get; }

    /// <summary>Called once on the thread pool with a decoder, or with the reason there is none.</summary>
    void OnDecoder(PocketsphinxDecoder? decoder, Exception? error);
}
