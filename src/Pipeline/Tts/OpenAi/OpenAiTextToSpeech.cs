using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Llm;

namespace MediaServer.Pipeline.Tts.OpenAi;

/// <summary>
/// Speech through an OpenAI-compatible speech endpoint, one request per sentence span, the PCM read as it arrives
/// so the first audio plays before the provider has rendered the whole sentence. Cancelling disposes the response,
/// which closes the HTTP request.
/// </summary>
public sealed class OpenAiTextToSpeech : ITextToSpeech
{
    public const string EngineName = "openai";

    /// <summary>OpenAI's <c>pcm</c> format: 24 kHz, mono, 16-bit little-endian, no header.</summary>
    public const int PcmRate = 24_000;

    /// <summary>Bytes read per chunk: 50 ms of audio.</summary>
    private const int ChunkBytes = PcmRate / 20 * 2;

    private readonly OpenAiTextToSpeechOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    /// <param name="options">Endpoint, key, model and default voice.</param>
    /// <param name="http">Shared client; one is made when null.</param>
    public OpenAiTextToSpeech(OpenAiTextToSpeechOptions options, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _endpoint = ApiEndpoint.Resolve(options.BaseUrl, "/audio/speech", "MediaServer:Tts:Cloud:BaseUrl");
    }

    public string Name => EngineName;

    public int SampleRate => PcmRate;

    public async IAsyncEnumerable<ReadOnlyMemory<short>> SynthesizeAsync(SpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Text)) yield break;
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(Body(request), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(_options.ApiKey)) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var bytes = new byte[ChunkBytes + 1];
        int carried = 0;
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            int read = await ReadAsync(body, bytes.AsMemory(carried, ChunkBytes), stalled, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            int total = carried + read;
            int whole = total / 2;
            if (whole > 0)
            {
                // A new array per chunk: the consumer may hold it (queued for playout) after the next read.
                var samples = new short[whole];
                for (int i = 0; i < whole; i++) samples[i] = (short)(bytes[2 * i] | (bytes[(2 * i) + 1] << 8));
                yield return samples;
            }

            carried = total - (whole * 2);
            if (carried == 1) bytes[0] = bytes[total - 1];
        }
    }

    /// <summary>One read, failed as a timeout when the provider sends nothing for <c>TimeoutSeconds</c> mid-body.</summary>
    private async Task<int> ReadAsync(Stream body, Memory<byte> into, CancellationTokenSource stalled, CancellationToken cancellationToken)
    {
        stalled.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            return await body.ReadAsync(into, stalled.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} speech: {_endpoint.Host} stopped sending audio for {_options.TimeoutSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} speech: no answer from {_endpoint.Host} within {_options.TimeoutSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException ex)
        {
            throw new HttpRequestException($"{Name} speech: {_endpoint.Host} unreachable ({ex.Message})", ex);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            string error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException(
                $"{Name} speech: HTTP {(int)response.StatusCode} from {_endpoint.Host}: {ProviderErrorBody.Message(error) ?? "no error message"}",
                null, response.StatusCode);
        }
    }

    private string Body(SpeechRequest request)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", _options.Model);
            w.WriteString("input", request.Text);
            w.WriteString("voice", string.IsNullOrWhiteSpace(request.Voice) ? _options.Voice : request.Voice.Trim());
            w.WriteString("response_format", "pcm");
            double speed = Math.Clamp(request.Speed * (request.Style?.RateFactor ?? 1), 0.25, 4.0);
            if (Math.Abs(speed - 1) > 0.001) w.WriteNumber("speed", Math.Round(speed, 3));
            if (_options.SendInstructions && SpeechInstructions.Describe(request.Style) is { } instructions) w.WriteString("instructions", instructions);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
