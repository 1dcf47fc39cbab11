using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Llm;

namespace MediaServer.Pipeline.Stt.OpenAi;

/// <summary>
/// One utterance for <see cref="OpenAiSpeechToText"/>: the 16 kHz audio collects in a pooled buffer and goes to
/// the provider as a WAV file when the turn completes.
/// </summary>
internal sealed class OpenAiRecognitionStream(OpenAiSpeechToText engine, TranscriptionRequest request) : ISpeechRecognitionStream
{
    private const int SampleRate = 16_000;
    private readonly UtteranceBuffer _audio = new((int)(engine.Options.MaxUtteranceSeconds * SampleRate));
    private bool _disposed;

    public string Partial => string.Empty;

    public void Write(ReadOnlySpan<short> pcm16k)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _audio.Append(pcm16k);
    }

    public async Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_audio.Count == 0) return string.Empty;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(engine.Options.TimeoutSeconds));
        using var message = new HttpRequestMessage(HttpMethod.Post, engine.Endpoint) { Content = Form() };
        if (!string.IsNullOrEmpty(engine.Options.ApiKey))
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", engine.Options.ApiKey);
        HttpResponseMessage response;
        try
        {
            response = await engine.Http.SendAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{engine.Name} transcription: no answer from {engine.Endpoint.Host} within {engine.Options.TimeoutSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException ex)
        {
            throw new HttpRequestException($"{engine.Name} transcription: {engine.Endpoint.Host} unreachable ({ex.Message})", ex);
        }

        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(
                    $"{engine.Name} transcription: HTTP {(int)response.StatusCode} from {engine.Endpoint.Host}: {ProviderErrorBody.Message(body) ?? "no error message"}",
                    null, response.StatusCode);
            }

            return Text(body);
        }
    }

    /// <summary>The <c>text</c> of a <c>json</c> answer; a bad answer is an error, not an empty turn.</summary>
    private string Text(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                return (text.GetString() ?? string.Empty).Trim();
        }
        catch (JsonException)
        {
        }

        throw new InvalidDataException($"{engine.Name} transcription: the answer from {engine.Endpoint.Host} has no \"text\" field");
    }

    private MultipartFormDataContent Form()
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Wav());
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "audio.wav");
        form.Add(new StringContent(engine.ModelFor(request)), "model");
        form.Add(new StringContent("json"), "response_format");
        if (!string.IsNullOrWhiteSpace(request.Language)) form.Add(new StringContent(request.Language.Trim()), "language");
        if (!string.IsNullOrWhiteSpace(request.Prompt)) form.Add(new StringContent(request.Prompt), "prompt");
        return form;
    }

    /// <summary>The utterance as a 16 kHz mono 16-bit PCM WAV file (RIFF, 44-byte header).</summary>
    private byte[] Wav()
    {
        var samples = _audio.Samples;
        var wav = new byte[WavHeader.Size + (samples.Length * 2)];
        WavHeader.Write(wav, SampleRate, channels: 1, dataBytes: samples.Length * 2);
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(WavHeader.Size + (i * 2)), samples[i]);
        return wav;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _audio.Dispose();
    }
}
