using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;

namespace MediaServer.SipBridge.Media;

/// <summary>
/// Records a call as a 16-bit stereo WAV: caller on the left channel, agent on the right, one frame of each per
/// media clock tick so the channels are sample aligned by construction. Frames go through a queue to a writer
/// task (the clock tick never touches the disk); every second the data is flushed and the RIFF sizes are patched,
/// so a crash loses at most about a second and leaves a playable file.
/// </summary>
public sealed class WavCallRecorder : IAsyncDisposable
{
    private const int HeaderBytes = 44;
    private readonly FileStream _file;
    private readonly Channel<(short[] Buffer, int Length)> _queue = Channel.CreateBounded<(short[], int)>(new BoundedChannelOptions(500) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _writer;
    private readonly int _sampleRate;
    private readonly int _framesPerFlush;
    private long _dataBytes;
    private long _droppedFrames;

    public WavCallRecorder(string path, int sampleRate = 8000, int framesPerFlush = 50)
    {
        _sampleRate = sampleRate;
        _framesPerFlush = framesPerFlush;
        Path = path;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 16 * 1024);
        Span<byte> header = stackalloc byte[HeaderBytes];
        WriteHeader(header, 0);
        _file.Write(header);
        _file.Flush();
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Frames lost because the writer fell behind (disk stall).</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Queues one frame of each side (equal lengths; a shorter side is padded with silence).</summary>
    public void WriteFrame(ReadOnlySpan<short> caller, ReadOnlySpan<short> agent)
    {
        int n = Math.Max(caller.Length, agent.Length);
        short[] buffer = ArrayPool<short>.Shared.Rent(n * 2);
        for (int i = 0; i < n; i++)
        {
            buffer[2 * i] = i < caller.Length ? caller[i] : (short)0;
            buffer[(2 * i) + 1] = i < agent.Length ? agent[i] : (short)0;
        }

        if (!_queue.Writer.TryWrite((buffer, n * 2)))
        {
            ArrayPool<short>.Shared.Return(buffer);
            Interlocked.Increment(ref _droppedFrames);
        }
    }

    private async Task WriteLoopAsync()
    {
        byte[] bytes = new byte[8192];
        int sinceFlush = 0;
        await foreach (var (buffer, length) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            int byteCount = length * 2;
            if (bytes.Length < byteCount)
            {
                bytes = new byte[byteCount];
            }

            for (int i = 0; i < length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), buffer[i]);
            }

            ArrayPool<short>.Shared.Return(buffer);
            await _file.WriteAsync(bytes.AsMemory(0, byteCount)).ConfigureAwait(false);
            _dataBytes += byteCount;
            if (++sinceFlush >= _framesPerFlush)
            {
                sinceFlush = 0;
                await PatchHeaderAsync().ConfigureAwait(false);
            }
        }

        await PatchHeaderAsync().ConfigureAwait(false);
    }

    private async Task PatchHeaderAsync()
    {
        byte[] header = new byte[HeaderBytes];
        WriteHeader(header, _dataBytes);
        long end = _file.Position;
        _file.Position = 0;
        await _file.WriteAsync(header).ConfigureAwait(false);
        _file.Position = end;
        await _file.FlushAsync().ConfigureAwait(false);
    }

    private void WriteHeader(Span<byte> h, long dataBytes)
    {
        const int channels = 2;
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)Math.Min(uint.MaxValue, 36 + dataBytes));
        "WAVE"u8.CopyTo(h[8..]);
        "fmt "u8.CopyTo(h[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(h[22..], channels);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)_sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], (uint)(_sampleRate * channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], channels * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[34..], 16);
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], (uint)Math.Min(uint.MaxValue, dataBytes));
    }

    /// <summary>Writes what is queued, patches the header and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
