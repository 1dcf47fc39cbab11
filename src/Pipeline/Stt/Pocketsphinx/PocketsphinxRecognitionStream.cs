using System.Buffers;
using MediaServer.Pipeline.Audio;
using Microsoft.Extensions.Logging;

namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// One utterance on a rented decoder. <see cref="Write"/> only copies the samples into a pooled ring buffer and,
/// once 100 ms are waiting, queues this stream on the thread pool (as its own work item, so nothing is allocated
/// per frame); the decoding itself, about 3 ms of CPU per 20 ms frame, never runs on the caller's media thread.
/// The partial hypothesis is refreshed every few frames, <see cref="CompleteAsync"/> decodes what is left and runs
/// the final passes, and the decoder goes back to the pool when the utterance completes or is disposed.
/// </summary>
internal sealed partial class PocketsphinxRecognitionStream : ISpeechRecognitionStream, IThreadPoolWorkItem
{
    /// <summary>Audio handed to <c>ps_process_raw</c> per call, and the backlog that wakes the decoder (100 ms).</summary>
    private const int DecodeChunkSamples = 5 * AudioConstants.PipelineFrameSamples;

    private const int InitialRingSamples = 2 * AudioConstants.PipelineSampleRate;

    private readonly PocketsphinxDecoderPool _pool;
    private readonly int _partialEverySamples;
    private readonly ILogger _logger;

    // Guarded by _ringLock: audio written but not decoded yet.
    private readonly Lock _ringLock = new();
    private short[]? _ring = ArrayPool<short>.Shared.Rent(InitialRingSamples);
    private int _ringStart;
    private int _ringCount;
    private bool _workerQueued;
    private bool _closed;

    // Guarded by _decoderLock: the native decoder and what only the decoding side touches.
    private readonly Lock _decoderLock = new();
    private readonly short[] _chunk = new short[DecodeChunkSamples];
    private PocketsphinxDecoder? _decoder;
    private int _samplesSincePartial;
    private bool _failed;

    private volatile string _partial = string.Empty;

    public PocketsphinxRecognitionStream(PocketsphinxDecoder decoder, PocketsphinxDecoderPool pool, int partialEveryFrames, ILogger logger)
    {
        _decoder = decoder;
        _pool = pool;
        _partialEverySamples = partialEveryFrames * AudioConstants.PipelineFrameSamples;
        _logger = logger;
    }

    public string Partial => _partial;

    public void Write(ReadOnlySpan<short> pcm16k)
    {
        lock (_ringLock)
        {
            if (_closed || _ring is null) throw new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance is already complete");
            Append(pcm16k);
            if (!_workerQueued && _ringCount >= DecodeChunkSamples)
            {
                _workerQueued = true;
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
    }

    public Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_ringLock)
        {
            if (_closed) throw new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance is already complete");
            _closed = true;
        }

        // Decoding the backlog and the final search passes take tens of milliseconds: off the caller's thread.
        return Task.Run(Complete, CancellationToken.None);
    }

    /// <summary>Decodes everything written so far on the calling thread (tests use it to read partials deterministically).</summary>
    internal void DecodePending()
    {
        lock (_decoderLock) DecodeBacklog();
    }

    void IThreadPoolWorkItem.Execute()
    {
        lock (_decoderLock) DecodeBacklog();
        lock (_ringLock)
        {
            // Audio that arrived while decoding saw the flag still set and did not queue: queue again for it.
            if (!_closed && _ringCount >= DecodeChunkSamples) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            else _workerQueued = false;
        }
    }

    private string Complete()
    {
        lock (_decoderLock)
        {
            DecodeBacklog();
            var decoder = _decoder ?? throw new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance was disposed");
            _decoder = null;
            ReleaseRing();
            var ended = decoder.EndUtterance();
            var text = ended && !_failed ? decoder.Hypothesis().Trim() : null;
            _pool.Return(decoder);
            if (text is null)
            {
                LogDecoderError(_logger, "ps_end_utt");
                throw new InvalidOperationException("pocketsphinx failed to decode the utterance");
            }

            _partial = text;
            return text;
        }
    }

    public void Dispose()
    {
        lock (_ringLock) _closed = true;
        lock (_decoderLock)
        {
            var decoder = _decoder;
            if (decoder is null) return;
            _decoder = null;
            ReleaseRing();
            // An abandoned utterance still has to be closed before the decoder can start another one.
            if (decoder.EndUtterance()) _pool.Return(decoder);
            else decoder.Dispose();
        }
    }

    /// <summary>Feeds the ring's contents to the decoder in 100 ms pieces. Caller holds <see cref="_decoderLock"/>.</summary>
    private void DecodeBacklog()
    {
        var decoder = _decoder;
        if (decoder is null) return;
        while (true)
        {
            int taken;
            lock (_ringLock) taken = Take(_chunk);
            if (taken == 0) return;
            if (_failed) continue; // keep draining so the ring does not grow; the result is an error anyway
            if (!decoder.Process(_chunk.AsSpan(0, taken)))
            {
                _failed = true;
                LogDecoderError(_logger, "ps_process_raw");
                continue;
            }

            _samplesSincePartial += taken;
            if (_samplesSincePartial >= _partialEverySamples)
            {
                _samplesSincePartial = 0;
                var hypothesis = decoder.Hypothesis();
                if (!string.Equals(hypothesis, _partial, StringComparison.Ordinal)) _partial = hypothesis;
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

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "pocketsphinx call {Call} failed")]
    private static partial void LogDecoderError(ILogger logger, string call);
}
