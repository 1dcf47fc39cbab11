using System.Buffers;

namespace MediaServer.Pipeline.Stt;

/// <summary>
/// One utterance's 16 kHz audio, kept whole for engines that recognise a finished turn rather than a stream (a
/// cloud transcription API, Whisper). Pooled and grown by doubling; audio past <see cref="MaxSamples"/> is dropped,
/// so one endless turn cannot take the memory.
/// </summary>
internal sealed class UtteranceBuffer(int maxSamples) : IDisposable
{
    private short[] _samples = ArrayPool<short>.Shared.Rent(Math.Min(maxSamples, 16_000 * 4));
    private bool _disposed;

    public int MaxSamples { get; } = maxSamples;

    public int Count { get; private set; }

    public ReadOnlySpan<short> Samples => _samples.AsSpan(0, Count);

    public void Append(ReadOnlySpan<short> pcm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int take = Math.Min(pcm.Length, MaxSamples - Count);
        if (take <= 0) return;
        if (Count + take > _samples.Length)
        {
            var larger = ArrayPool<short>.Shared.Rent(Math.Min(MaxSamples, Math.Max(_samples.Length * 2, Count + take)));
            Samples.CopyTo(larger);
            ArrayPool<short>.Shared.Return(_samples);
            _samples = larger;
        }

        pcm[..take].CopyTo(_samples.AsSpan(Count));
        Count += take;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ArrayPool<short>.Shared.Return(_samples);
        _samples = [];
        Count = 0;
    }
}
