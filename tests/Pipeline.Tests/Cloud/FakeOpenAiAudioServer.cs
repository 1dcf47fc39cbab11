using System.Text;
using MediaServer.Pipeline.Tests.Llm;

namespace MediaServer.Pipeline.Tests.Cloud;

/// <summary>
/// A local server speaking OpenAI's audio wire format: <c>POST /v1/audio/transcriptions</c> (a multipart form with
/// the audio file, answered with <c>{"text": ...}</c>) and <c>POST /v1/audio/speech</c> (JSON in, raw 24 kHz
/// 16-bit PCM streamed back in chunks). <see cref="FakeLlmServer.Scenario"/> picks errors (401, 429, 500) or a
/// slow answer.
/// </summary>
internal sealed class FakeOpenAiAudioServer : FakeLlmServer
{
    /// <summary>The API base URL including <c>/v1</c>.</summary>
    public string BaseUrl => Origin + "/v1";

    /// <summary>What a transcription answers.</summary>
    public string Transcript { get; set; } = "hello from the cloud";

    /// <summary>How much speech a speech request streams back, in 24 kHz samples (odd byte chunks on purpose).</summary>
    public int SpeechSamples { get; set; } = 24_000;

    /// <summary>After the first chunk of speech, send nothing for five seconds (a provider stalled mid-answer).</summary>
    public bool StallAfterFirstChunk { get; set; }

    /// <summary>The chunk size the speech body is cut into: odd, so a sample straddles two chunks.</summary>
    public int SpeechChunkBytes { get; set; } = 4_801;

    protected override async Task HandleAsync(FakeHttpResponse response, FakeLlmRequest request)
    {
        if (await TryWriteOpenAiErrorAsync(response, Scenario)) return;

        if (request.Path == "/v1/audio/transcriptions")
        {
            var form = MultipartForm.Parse(request.Headers["Content-Type"] ?? string.Empty, request.RawBody);
            if (!form.ContainsKey("file") || !form.ContainsKey("model"))
            {
                await response.WriteJsonAsync(400, """{"error":{"message":"file and model are required","type":"invalid_request_error","param":null,"code":null}}""");
                return;
            }

            if (Scenario == FakeLlmScenario.Slow) await Task.Delay(TimeSpan.FromSeconds(5)); // past a test's short timeout
            await response.WriteJsonAsync(200, $$"""{"text":{{System.Text.Json.JsonSerializer.Serialize(Transcript)}}}""");
            return;
        }

        if (request.Path == "/v1/audio/speech")
        {
            if (request.Body["input"] is null || request.Body["voice"] is null)
            {
                await response.WriteJsonAsync(400, """{"error":{"message":"input and voice are required","type":"invalid_request_error","param":null,"code":null}}""");
                return;
            }

            await response.StartChunkedAsync("audio/pcm");
            var pcm = Tone(Scenario == FakeLlmScenario.Slow ? 24_000 * 30 : SpeechSamples);
            for (int at = 0; at < pcm.Length; at += SpeechChunkBytes)
            {
                await response.WriteChunkAsync(pcm.AsMemory(at, Math.Min(SpeechChunkBytes, pcm.Length - at)));
                if (StallAfterFirstChunk && at == 0) await Task.Delay(TimeSpan.FromSeconds(5));
                await Task.Delay(Scenario == FakeLlmScenario.Slow ? 100 : 5);
            }

            return;
        }

        await response.WriteJsonAsync(404, """{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}""");
    }

    /// <summary>A 440 Hz tone as little-endian 16-bit PCM: sample i is round(8000 sin(2 pi 440 i / 24000)).</summary>
    public static byte[] Tone(int samples)
    {
        var bytes = new byte[samples * 2];
        for (int i = 0; i < samples; i++)
        {
            short s = ToneSample(i);
            bytes[2 * i] = (byte)s;
            bytes[(2 * i) + 1] = (byte)(s >> 8);
        }

        return bytes;
    }

    public static short ToneSample(int i) => (short)Math.Round(8000 * Math.Sin(2 * Math.PI * 440 * i / 24_000.0));
}

/// <summary>A minimal multipart/form-data reader (RFC 7578) for the fake: part name to its bytes.</summary>
internal static class MultipartForm
{
    public static Dictionary<string, byte[]> Parse(string contentType, byte[] body)
    {
        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        int b = contentType.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        if (b < 0) return parts;
        string boundary = contentType[(b + "boundary=".Length)..].Split(';')[0].Trim().Trim('"');
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var span = body.AsSpan();
        int start = span.IndexOf(delimiter);
        while (start >= 0)
        {
            int partStart = start + delimiter.Length;
            if (span[partStart..].StartsWith("--"u8)) break;
            partStart += 2; // CRLF after the delimiter
            int next = span[partStart..].IndexOf(delimiter);
            if (next < 0) break;
            var part = span.Slice(partStart, next - 2); // CRLF before the next delimiter
            int headerEnd = part.IndexOf("\r\n\r\n"u8);
            if (headerEnd >= 0)
            {
                string head = Encoding.ASCII.GetString(part[..headerEnd]);
                int n = head.IndexOf("name=", StringComparison.Ordinal);
                if (n >= 0)
                {
                    string name = head[(n + 5)..].Split(';', '\r')[0].Trim().Trim('"');
                    parts[name] = part[(headerEnd + 4)..].ToArray();
                }
            }

            start = partStart + next;
        }

        return parts;
    }
}
