using System.Diagnostics;
using System.Runtime.CompilerServices;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Tts;
using Microsoft.Extensions.AI;

namespace MediaServer.Latency;

/// <summary>Stopwatch timestamps of one turn's engine work (0: did not happen), written by the decorators below.</summary>
internal sealed class EngineMarks
{
    public long SttFinalStart;
    public long SttFinalEnd;
    public long LlmRequest;
    public long LlmFirstToken;
    public long TtsFirstCall;
    public long TtsFirstChunk;

    public void Reset() => SttFinalStart = SttFinalEnd = LlmRequest = LlmFirstToken = TtsFirstCall = TtsFirstChunk = 0;

    public static void SetOnce(ref long field) => Interlocked.CompareExchange(ref field, Stopwatch.GetTimestamp(), 0);
}

/// <summary>Times the recogniser's final pass (<see cref="ISpeechRecognitionStream.CompleteAsync"/>).</summary>
internal sealed class TimedSpeechToText(ISpeechToText inner, EngineMarks marks) : ISpeechToText
{
    public string Name => inner.Name;

    public ISpeechRecognitionStream StartUtterance(TranscriptionRequest request) => new Stream(inner.StartUtterance(request), marks);

    private sealed class Stream(ISpeechRecognitionStream inner, EngineMarks marks) : ISpeechRecognitionStream
    {
        public string Partial => inner.Partial;

        public void Write(ReadOnlySpan<short> pcm16k) => inner.Write(pcm16k);

        public async Task<string> CompleteAsync(CancellationToken cancellationToken)
        {
            EngineMarks.SetOnce(ref marks.SttFinalStart);
            string text = await inner.CompleteAsync(cancellationToken).ConfigureAwait(false);
            EngineMarks.SetOnce(ref marks.SttFinalEnd);
            return text;
        }

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>Times the first synthesis call and its first chunk.</summary>
internal sealed class TimedTextToSpeech(ITextToSpeech inner, EngineMarks marks) : ITextToSpeech
{
    public string Name => inner.Name;

    public int SampleRate => inner.SampleRate;

    public async IAsyncEnumerable<ReadOnlyMemory<short>> SynthesizeAsync(SpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EngineMarks.SetOnce(ref marks.TtsFirstCall);
        await foreach (var chunk in inner.SynthesizeAsync(request, cancellationToken).ConfigureAwait(false))
        {
            EngineMarks.SetOnce(ref marks.TtsFirstChunk);
            yield return chunk;
        }
    }
}

/// <summary>Times the model request and its first streamed token.</summary>
internal sealed class TimedChatClient(IChatClient inner, EngineMarks marks) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EngineMarks.SetOnce(ref marks.LlmRequest);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            if (!string.IsNullOrEmpty(update.Text))
            {
                EngineMarks.SetOnce(ref marks.LlmFirstToken);
            }

            yield return update;
        }
    }
}

internal sealed class TimedChatClients(MediaServer.Pipeline.Llm.IChatClientProvider inner, EngineMarks marks) : MediaServer.Pipeline.Llm.IChatClientProvider
{
    public IChatClient Resolve(string? model) => new TimedChatClient(inner.Resolve(model), marks);
}
