using Whisper.net;

namespace MediaServer.Pipeline.Stt.WhisperNet;

/// <summary>
/// Whisper through Whisper.net: the model loads once; each turn's audio is recognised whole when the turn ends
/// (Whisper has no streaming mode), on its own processor, at most <see cref="WhisperNetOptions.MaxConcurrent"/> at
/// once. No partial transcript, as with the cloud engine.
/// </summary>
public sealed class WhisperNetSpeechToText : ISpeechToText, IDisposable
{
    public const string EngineName = "whisper";

    private readonly WhisperFactory _factory;
    private readonly SemaphoreSlim _slots;

    public WhisperNetSpeechToText(WhisperNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _factory = WhisperFactory.FromPath(options.ModelPath!);
        _slots = new SemaphoreSlim(options.EffectiveConcurrency, options.EffectiveConcurrency);
    }

    public string Name => EngineName;

    internal WhisperNetOptions Options { get; }

    public ISpeechRecognitionStream StartUtterance(TranscriptionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new WhisperNetRecognitionStream(this, request);
    }

    /// <summary>Recognises <paramref name="pcm16k"/> on a fresh processor once a slot is free.</summary>
    internal async Task<string> RecogniseAsync(float[] pcm16k, TranscriptionRequest request, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var builder = _factory.CreateBuilder()
                .WithLanguage(string.IsNullOrWhiteSpace(request.Language) ? Options.Language : request.Language.Trim())
                .WithThreads(Options.EffectiveThreads);
            if (!string.IsNullOrWhiteSpace(request.Prompt)) builder = builder.WithPrompt(request.Prompt);
            await using var processor = builder.Build();
            var text = new System.Text.StringBuilder();
            await foreach (var segment in processor.ProcessAsync(pcm16k, cancellationToken).ConfigureAwait(false))
            {
                text.Append(segment.Text);
            }

            return text.ToString().Trim();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _factory.Dispose();
        _slots.Dispose();
    }
}
