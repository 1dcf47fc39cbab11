using System.Buffers;
using System.Buffers.Text;
using MediaServer.Pipeline.Audio;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// Batches 24 kHz PCM into <c>input_audio_buffer.append</c> events of a fixed length and queues them on the
/// connection. Each event is written by hand into a pooled buffer (returned once sent): nothing is allocated per
/// frame, and a phone's 50 frames a second become a few events.
/// </summary>
internal sealed class UpstreamAppendWriter
{
    private static readonly byte[] Prefix = "{\"type\":\"input_audio_buffer.append\",\"audio\":\""u8.ToArray();
    private static readonly byte[] Suffix = "\"}"u8.ToArray();

    private readonly UpstreamConnection _connection;
    private readonly short[] _batch;
    private readonly byte[] _bytes;
    private int _fill;

    public UpstreamAppendWriter(UpstreamConnection connection, int batchMilliseconds)
    {
        _connection = connection;
        _batch = new short[UpstreamAudio.Rate * batchMilliseconds / 1000];
        _bytes = new byte[_batch.Length * 2];
    }

    /// <summary>Audio sent upstream so far, in ms.</summary>
    public long SentMs => SentSamples * 1000 / UpstreamAudio.Rate;

    public long SentSamples { get; private set; }

    public void Append(ReadOnlySpan<short> pcm24k)
    {
        while (!pcm24k.IsEmpty)
        {
            int take = Math.Min(_batch.Length - _fill, pcm24k.Length);
            pcm24k[..take].CopyTo(_batch.AsSpan(_fill));
            _fill += take;
            pcm24k = pcm24k[take..];
            if (_fill == _batch.Length)
            {
                Flush();
            }
        }
    }

    /// <summary>Sends what is batched (before a commit, so the upstream has the whole turn).</summary>
    public void Flush()
    {
        if (_fill == 0)
        {
            return;
        }

        int byteCount = Pcm16.ToBytes(_batch.AsSpan(0, _fill), _bytes);
        int encoded = Base64.GetMaxEncodedToUtf8Length(byteCount);
        byte[] message = ArrayPool<byte>.Shared.Rent(Prefix.Length + encoded + Suffix.Length);
        Prefix.CopyTo(message, 0);
        Base64.EncodeToUtf8(_bytes.AsSpan(0, byteCount), message.AsSpan(Prefix.Length), out _, out int written);
        Suffix.CopyTo(message, Prefix.Length + written);
        _connection.Send(message, Prefix.Length + written + Suffix.Length, pooled: true);
        SentSamples += _fill;
        _fill = 0;
    }

    /// <summary>Drops what is batched and not sent (the client cleared the buffer).</summary>
    public void Discard() => _fill = 0;
}
