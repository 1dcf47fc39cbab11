using MediaServer.Pipeline.Audio;
using Microsoft.Extensions.Logging;

namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// One utterance on a rented decoder. Audio is decoded as it arrives (so <see cref="CompleteAsync"/> only runs
/// the final passes), the partial hypothesis is refreshed every few frames, and the decoder goes back to the
/// pool when the utterance completes or is disposed.
/// </summary>
internal sealed partial class PocketsphinxRecognitionStream : ISpeechRecognitionStream
{
    private readonly Lock _gate = new();
    private readonly PocketsphinxDecoderPool _pool;
    private readonly int _partialEverySamples;
    private readonly ILogger _logger;
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
        lock (_gate)
        {
            var decoder = _decoder ?? throw new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance is already complete");
            if (_failed) return;
            if (!decoder.Process(pcm16k))
            {
                _failed = true;
                LogDecoderError(_logger, "ps_process_raw");
                return;
            }

            _samplesSincePartial += pcm16k.Length;
            if (_samplesSincePartial >= _partialEverySamples)
            {
                _samplesSincePartial = 0;
                var hypothesis = decoder.Hypothesis();
                if (!string.Equals(hypothesis, _partial, StringComparison.Ordinal)) _partial = hypothesis;
            }
        }
    }

    public Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The final search passes take tens of milliseconds of CPU: keep them off the caller's (media) thread.
        return Task.Run(Complete, CancellationToken.None);
    }

    private string Complete()
    {
        lock (_gate)
        {
            var decoder = _decoder ?? throw new ObjectDisposedException(nameof(PocketsphinxRecognitionStream), "the utterance is already complete");
            _decoder = null;
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
        lock (_gate)
        {
            var decoder = _decoder;
            if (decoder is null) return;
            _decoder = null;
            // An abandoned utterance still has to be closed before the decoder can start another one.
            if (decoder.EndUtterance()) _pool.Return(decoder);
            else decoder.Dispose();
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "pocketsphinx call {Call} failed")]
    private static partial void LogDecoderError(ILogger logger, string call);
}
