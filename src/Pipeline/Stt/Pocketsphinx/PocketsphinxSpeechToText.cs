using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// Offline speech recognition through Debian's pocketsphinx (CMU Sphinx, US English wideband model).
/// Expects 16 kHz mono PCM. Accuracy, measured on this project's test speech: synthetic flite speech comes back
/// near word for word, real human speech about half the words, 8 kHz telephone audio poorly (see MODELS.md).
/// <see cref="TranscriptionRequest.Prompt"/> and <see cref="TranscriptionRequest.Language"/> are not used: the
/// model is English only and the trigram language model is fixed.
/// <para>
/// Decoding is live (results while audio arrives) with live cepstral mean normalisation, which a decoder adapts to
/// the audio channel at the end of each utterance; decoders are reused, so recognition of real microphone speech
/// improves after the first utterance on a decoder (jfk.wav: a handful of words cold, nearly all once adapted).
/// A second, batch-normalised pass at the end would fix the cold case but costs as much CPU again, which is
/// latency before the answer, so it is not done.
/// </para>
/// <para>
/// CPU, measured on this project's 2-core test machine: about 0.17 s per second of synthetic speech and 0.3 s per
/// second of real speech (one core). For more sessions per core add <c>-maxhmmpf 3000</c> to
/// <see cref="PocketsphinxOptions.ExtraArguments"/>: it halved the CPU with flite speech still exact and real
/// speech somewhat worse.
/// </para>
/// </summary>
public sealed partial class PocketsphinxSpeechToText : ISpeechToText, IDisposable
{
    private readonly PocketsphinxOptions _options;
    private readonly PocketsphinxDecoderPool _pool;
    private readonly ILogger _logger;

    /// <summary>Checks the options and that the model files exist (throws <see cref="FileNotFoundException"/>
    /// naming the missing one); builds no decoder yet.</summary>
    public PocketsphinxSpeechToText(PocketsphinxOptions? options = null, ILogger<PocketsphinxSpeechToText>? logger = null)
    {
        _options = options ?? new PocketsphinxOptions();
        _options.Validate();
        PocketsphinxDecoder.CheckModelFiles(_options);
        _pool = new PocketsphinxDecoderPool(_options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Name => "pocketsphinx";

    /// <summary>Decoders built so far; with reuse this stays at the peak number of concurrent utterances.</summary>
    public int DecodersCreated => _pool.Created;

    /// <summary>The most decoders that existed at once; never above <see cref="PocketsphinxOptions.MaxDecoders"/>
    /// (warm-up aside).</summary>
    public int PeakDecoders => _pool.PeakLive;

    /// <summary>Utterances refused because no decoder became free within
    /// <see cref="PocketsphinxOptions.DecoderWaitSeconds"/>.</summary>
    public int ShedUtterances => _pool.Shed;

    /// <summary>Decoders built and waiting for an utterance.</summary>
    public int IdleDecoders => _pool.IdleCount;

    /// <summary>
    /// Builds <see cref="PocketsphinxOptions.WarmUpDecoders"/> decoders now so the first utterance does not wait
    /// for the model to load. Call at start; blocks for about half a second per decoder.
    /// </summary>
    public void WarmUp()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _pool.WarmUp(_options.WarmUpDecoders);
        LogWarmedUp(_logger, _pool.IdleCount, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Builds decoders for <see cref="WarmUp"/> on the thread pool.</summary>
    public Task WarmUpAsync() => Task.Run(WarmUp);

    /// <summary>
    /// Starts an utterance without blocking: an idle decoder is taken at once (preferably the one last used for
    /// <see cref="TranscriptionRequest.Affinity"/>); when none is idle, one is built on the thread pool (or, with
    /// <see cref="PocketsphinxOptions.MaxDecoders"/> reached, the next one returned is handed over) while the
    /// first audio waits in the stream's buffer.
    /// </summary>
    public ISpeechRecognitionStream StartUtterance(TranscriptionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new PocketsphinxRecognitionStream(_pool, request.Affinity, _options.PartialEveryFrames, _logger);
    }

    public void Dispose() => _pool.Dispose();

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "pocketsphinx ready: {Decoders} decoder(s) built in {Milliseconds:F0} ms")]
    private static partial void LogWarmedUp(ILogger logger, int decoders, double milliseconds);
}
