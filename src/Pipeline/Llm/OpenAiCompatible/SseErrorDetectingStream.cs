using System.Text.Json;

namespace MediaServer.Pipeline.Llm.OpenAiCompatible;

/// <summary>
/// Passes an OpenAI-style SSE body through unchanged while watching its <c>data:</c> lines for an
/// <c>"error"</c> object. OpenRouter, vLLM and other OpenAI-compatible servers report a failure that happens after
/// the 200 this way (OpenRouter adds <c>finish_reason: "error"</c>, which the OpenAI SDK cannot even parse), so
/// the provider's own message would otherwise be lost. The bytes before the error line are handed out first; the
/// read after them throws a <see cref="ChatProviderException"/> carrying the message. Never throws on malformed
/// input: a line that is not JSON, or too long to hold, is passed on untouched.
/// </summary>
internal sealed class SseErrorDetectingStream(Stream inner, string provider) : Stream
{
    /// <summary>Longest line examined; an error line is short, and a longer line is content, not an error.</summary>
    private const int MaxLine = 16 * 1024;

    private readonly byte[] _line = new byte[MaxLine];
    private int _lineLength;
    private bool _lineOverflowed;
    private ChatProviderException? _pending;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_pending is { } pending) throw pending;
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        int lineStart = 0;
        for (int i = 0; i < n; i++)
        {
            byte b = buffer.Span[i];
            if (b == (byte)'\n')
            {
                if (Inspect() is { } error)
                {
                    // Hand out what came before the error line; the next read reports the error.
                    if (lineStart > 0)
                    {
                        _pending = error;
                        return lineStart;
                    }

                    throw error;
                }

                _lineLength = 0;
                _lineOverflowed = false;
                lineStart = i + 1;
            }
            else if (_lineLength < MaxLine)
            {
                _line[_lineLength++] = b;
            }
            else
            {
                _lineOverflowed = true;
            }
        }

        return n;
    }

    private ChatProviderException? Inspect()
    {
        if (_lineOverflowed) return null;
        var line = _line.AsSpan(0, _lineLength).TrimEnd((byte)'\r');
        if (!line.StartsWith("data:"u8) || line.IndexOf("\"error\""u8) < 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(_line.AsMemory(5, line.Length - 5));
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("error", out var error)
                || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            int? code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var number) && number is >= 400 and < 600 ? number : null;
            var kind = code is int status ? ChatProviderException.KindOf(status) : ChatProviderErrorKind.ServerError;
            return ChatProviderException.Create(provider, kind, null, null, ProviderErrorBody.Clip(message ?? "an error in the middle of the stream"), null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
