using System.Buffers;
using MediaServer.Pipeline.Audio;
using Microsoft.Extensions.Logging;

namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// One utterance. <see cref="Write"/> only copies the samples into a pooled ring buffer and, once 100 ms are
/// waiting, queues this stream on the thread pool (as its own work item, so nothing is allocated per frame);
/// decoding, about 3 ms of CPU per 20 ms frame, never runs on the caller's media thread. The decoder comes from
/// the pool when one is idle; otherwise the pool hands one over later (<see cref="OnDecoder"/>) while the first
/// audio waits in the ring, and no thread waits for it. The partial hypothesis is refreshed every few frames;
/// <see cref="CompleteAsync"/> lets the decoding side decode what is left and run the final passes, and completes
/// when it has (it never blocks a pool thread behind a decode still running); the decoder goes back to the pool
/// when the utterance completes or is disposed, and a disposed utterance stops decoding at once.
/// </summary>
internal sealed partial class PocketsphinxRecognitionStream : ISpeechRecognitionStream, IThreadPoolWorkItem, IPocketsphinxDecoderWaiter
{
    /// <summary>Audio handed to <c>ps_process_raw</c> per call, and the backlog that wakes the decoder (100 ms).</summary>
    private const int DecodeChunkSamples = 5 * AudioConstants.PipelineFrameSamples;

    private const int InitialRingSamples = 2 * AudioConstants.PipelineSampleRate;

    private readonly PocketsphinxDecoderPool _pool;
    private readonly string? _affinity;
    private readonly int _partialEverySamples;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<string> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guarded by _ringLock: audio written but not decoded yet, and the stream's life.
    private readonly Lock _ringLock = new();
    private short[]? _ring = ArrayPool<short>.Shared.Rent(InitialRingSamples);
    private int _ringStart;
    private int _ringCount;
    private bool _workerQueued;
    private bool _closed;
    private volatile bool _disposed;

    // Set once the pool has answered (a decoder or an error): until then there is nothing to decode with.
    private volatile bool _answered;

    // Guarded by _decoderLock: the native decoder and what only the decoding side touches.
    private readonly Lock _decoderLock = new();
    private readonly short[] _chunk = new short[DecodeChunkSamples];
    private PocketsphinxDecoder? _decoder;
    private Exception? _startError;
    private int _samplesSincePartial;
    private long _decodedSamples;

    // Samples written, and samples the current partial has heard: their difference is PartialLagMs.
    private long _writtenSamples;
    private long _partialSamples;
    private bool _failed;
    private bool _finished;

    private volatile string _partial = string.Empty;

    public PocketsphinxRecognitionStream(PocketsphinxDecoderPool pool, string? affinity, int partialEveryFrames, ILogger logger)
    {
        _pool = pool;
        _affinity = affinity;
        _partialEverySamples = partialEveryFrames * AudioConstants.PipelineFrameSamples;
        _logger = logger;
        if (pool.TryRentIdle(affinity, out var decoder))
        {
            lock (_decoderLock) Start(decoder);
            _answered = true;
        }
        else
        {
            // Ask now, not when the first 100 ms have arrived; the pool builds one or queues this utterance.
            pool.RentAsync(affinity, this);
        }
    }

    public string Partial => _partial;

    public int PartialLagMs =>
        (int)((Volatile.Read(ref _writtenSamples) - Volatile.Read(ref _partialSamples)) / (AudioConstants.PipelineSampleRate / 1000));

    bool IPocketsphinxDecoderWaiter.Abandoned => _disposed;

    public void Write(ReadOnlySpan<short> pcm16k)
    {
        lock (_ringLock)
        {
            if (_closed || _ring is null) throw new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance is already complete");
            Append(pcm16k);
            Volatile.Write(ref _writtenSamples, _writtenSamples + pcm16k.Length);
            if (_answered && !_workerQueued && _ringCount >= DecodeChunkSamples)
            {
                _workerQueued = true;
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
    }

    public Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool queue;
        lock (_ringLock)
        {
            if (_closed) throw new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance is already complete");
            _closed = true;
            // Decoding the backlog and the final search passes take tens of milliseconds: the decoding side does
            // them, now if it is idle, else when it finishes the chunk it is on; without a decoder yet, on arrival.
            queue = _answered && !_workerQueued;
            if (queue) _workerQueued = true;
        }

        if (queue) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return _result.Task;
    }

    /// <summary>Decodes everything written so far on the calling thread (tests use it to read partials
    /// deterministically); waits for the pool to hand over a decoder first.</summary>
    internal void DecodePending()
    {
        if (!SpinWait.SpinUntil(() => _answered, TimeSpan.FromMinutes(2))) throw new TimeoutException("no pocketsphinx decoder was handed over");
        lock (_decoderLock)
        {
            DecodeBacklog();
        }

        if (_disposed) CleanUpAfterDispose();
    }

    /// <summary>The pool's answer (on the thread pool): start the utterance and catch up on the waiting audio.</summary>
    void IPocketsphinxDecoderWaiter.OnDecoder(PocketsphinxDecoder? decoder, Exception? error)
    {
        lock (_decoderLock)
        {
            if (_disposed || _finished)
            {
                // Nobody needs it any more: straight back to the pool (or the next waiting utterance).
                if (decoder is not null) _pool.Return(decoder, null);
                decoder = null;
            }
            else if (decoder is null) Fail(error ?? new InvalidOperationException("no decoder"));
            else Start(decoder);
        }

        bool run;
        lock (_ringLock)
        {
            _answered = true;
            run = !_workerQueued && (_closed || _ringCount >= DecodeChunkSamples);
            if (run) _workerQueued = true;
        }

        if (run) ((IThreadPoolWorkItem)this).Execute();
        if (_disposed) CleanUpAfterDispose();
    }

    void IThreadPoolWorkItem.Execute()
    {
        var again = false;
        lock (_decoderLock)
        {
            DecodeBacklog();
            var finish = false;
            lock (_ringLock)
            {
                // Audio that arrived while decoding saw the flag still set and did not queue: go again for it.
                again = !_disposed && _ringCount > 0 && (_closed || _ringCount >= DecodeChunkSamples);
                if (!again)
                {
                    _workerQueued = false;
                    finish = _closed && !_disposed;
                }
            }

            if (finish) Finish();
        }

        if (again) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        if (_disposed) CleanUpAfterDispose();
    }

    /// <summary>Caller holds <see cref="_decoderLock"/>; everything written has been decoded. Runs the final passes,
    /// gives the decoder back and completes <see cref="CompleteAsync"/>'s task.</summary>
    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        ReleaseRing();
        var decoder = _decoder;
        _decoder = null;
        if (decoder is null)
        {
            _result.TrySetException(_startError is null
                ? new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance was disposed")
                : new InvalidOperationException("pocketsphinx could not start a decoder", _startError));
            return;
        }

        var ended = decoder.EndUtterance();
        var text = ended && !_failed ? decoder.Hypothesis().Trim() : null;
        _pool.Return(decoder, _affinity);
        if (text is null)
        {
            LogDecoderError(_logger, "ps_end_utt");
            _result.TrySetException(new InvalidOperationException("pocketsphinx failed to decode the utterance"));
            return;
        }

        _partial = text;
        _result.TrySetResult(text);
    }

    /// <summary>
    /// Never waits: if the decoding side holds the decoder, it sees <see cref="_disposed"/> when it lets go and
    /// cleans up itself (<see cref="CleanUpAfterDispose"/>), so a long backlog does not stall the caller.
    /// </summary>
    public void Dispose()
    {
        lock (_ringLock)
        {
            _closed = true;
            _disposed = true;
        }

        if (!_decoderLock.TryEnter()) return;
        try
        {
            CleanUp();
        }
        finally
        {
            _decoderLock.Exit();
        }
    }

    private void CleanUpAfterDispose()
    {
        lock (_decoderLock) CleanUp();
    }

    /// <summary>Caller holds <see cref="_decoderLock"/>. Idempotent.</summary>
    private void CleanUp()
    {
        ReleaseRing();
        if (!_finished)
        {
            _finished = true;
            _result.TrySetException(new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance was disposed"));
        }

        var decoder = _decoder;
        if (decoder is null) return;
        _decoder = null;
        // An abandoned utterance still has to be closed before the decoder can start another one.
        if (decoder.EndUtterance()) _pool.Return(decoder, _affinity);
        else _pool.Discard(decoder);
    }

    /// <summary>Caller holds <see cref="_decoderLock"/>.</summary>
    private void Start(PocketsphinxDecoder decoder)
    {
        try
        {
            decoder.StartUtterance();
            _decoder = decoder;
        }
        catch (Exception e)
        {
            _pool.Discard(decoder);
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        _startError = e;
        _failed = true;
        LogStartFailed(_logger, e);
    }

    /// <summary>Feeds the ring's contents to the decoder in 100 ms pieces. Caller holds <see cref="_decoderLock"/>.</summary>
    private void DecodeBacklog()
    {
        var decoder = _decoder;
        while (true)
        {
            // A disposed utterance's audio is not wanted: stop now rather than decode a long backlog for nothing.
            if (_disposed) return;
            int taken;
            lock (_ringLock) taken = Take(_chunk);
            if (taken == 0) return;
            // Without a working decoder keep draining so the ring does not grow; the result is an error anyway.
            if (_failed || decoder is null) continue;
            if (!decoder.Process(_chunk.AsSpan(0, taken)))
            {
                _failed = true;
                LogDecoderError(_logger, "ps_process_raw");
                continue;
            }

            _samplesSincePartial += taken;
            _decodedSamples += taken;
            if (_samplesSincePartial >= _partialEverySamples)
            {
                _samplesSincePartial = 0;
                var hypothesis = decoder.Hypothesis();
                if (!string.Equals(hypothesis, _partial, StringComparison.Ordinal)) _partial = hypothesis;
                Volatile.Write(ref _partialSamples, _decodedSamples);
            }
        }
    }

    /// <summary>Caller holds <see cref="_ringLock"/>. Grows the ring (pooled) when decoding falls behind.</summary>
    private void Append(ReadOnlySpan<short> pcm)
    {
        var ring = _ring!;
        if (_ringCount + pcm.Length > ring.Length)
        {
            var bigger = ArrayPool<short>.Shared.Rent(Math.Max(ring.Length * 2, _ringCount + pcm.Length));
            var copied = CopyOut(bigger);
            ArrayPool<short>.Shared.Return(ring);
            _ring = ring = bigger;
            _ringStart = 0;
            _ringCount = copied;
        }

        var end = (_ringStart + _ringCount) % ring.Length;
        var first = Math.Min(pcm.Length, ring.Length - end);
        pcm[..first].CopyTo(ring.AsSpan(end));
        pcm[first..].CopyTo(ring);
        _ringCount += pcm.Length;
    }

    /// <summary>Caller holds <see cref="_ringLock"/>. Moves up to <paramref name="destination"/>'s length out of the ring.</summary>
    private int Take(Span<short> destination)
    {
        if (_ring is null || _ringCount == 0) return 0;
        var n = Math.Min(destination.Length, _ringCount);
        var first = Math.Min(n, _ring.Length - _ringStart);
        _ring.AsSpan(_ringStart, first).CopyTo(destination);
        _ring.AsSpan(0, n - first).CopyTo(destination[first..]);
        _ringStart = (_ringStart + n) % _ring.Length;
        _ringCount -= n;
        return n;
    }

    private int CopyOut(Span<short> destination)
    {
        var count = _ringCount;
        var first = Math.Min(count, _ring!.Length - _ringStart);
        _ring.AsSpan(_ringStart, first).CopyTo(destination);
        _ring.AsSpan(0, count - first).CopyTo(destination[first..]);
        return count;
    }

    private void ReleaseRing()
    {
        lock (_ringLock)
        {
            if (_ring is null) return;
            ArrayPool<short>.Shared.Return(_ring);
            _ring = null;
            _ringCount = 0;
        }
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "pocketsphinx could not start a decoder")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "pocketsphinx call {Call} failed")]
    private static partial void LogDecoderError(ILogger logger, string call);
}
