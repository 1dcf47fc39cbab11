using MediaServer.Pipeline.Audio;
using MediaServer.Rtc.Codecs;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Where a response's speech goes. Over a WebSocket it becomes <c>response.output_audio.delta</c> events in the
/// session's output format (the client owns playback); over a call it is queued on the media leg, which paces it
/// on the media clock (the server owns playback).
/// </summary>
internal interface IResponseAudioOutput
{
    /// <summary>Rate the output expects.</summary>
    int SampleRate { get; }

    /// <summary>True when the client plays the audio itself (WebSocket): events carry the bytes.</summary>
    bool ClientOwnsPlayback { get; }

    /// <summary>Writes PCM at <see cref="SampleRate"/>; returns the wire bytes produced for storage (may be empty).</summary>
    void Write(ReadOnlySpan<short> pcm, Action<byte[]> emitDelta, MemoryStream store);
}

/// <summary>
/// Sees the agent's audio as it leaves (PCM at the output's rate, before encoding): the reference of the barge-in
/// echo gate. Called under the session lock.
/// </summary>
internal interface IOutgoingAudioTap
{
    void OnOutgoing(ReadOnlySpan<short> pcm, int sampleRate);
}

/// <summary>WebSocket output: wire-format chunks as delta events.</summary>
internal sealed class WireAudioOutput(RealtimeAudioFormat format, int deltaMilliseconds) : IResponseAudioOutput
{
    private readonly int _chunkSamples = format.SampleRate * deltaMilliseconds / 1000;
    private byte[] _wire = new byte[4096];

    public int SampleRate => format.SampleRate;

    public bool ClientOwnsPlayback => true;

    /// <summary>Where a copy of the outgoing PCM goes (the echo reference); the client plays it from its first delta.</summary>
    public IOutgoingAudioTap? Tap { get; init; }

    public void Write(ReadOnlySpan<short> pcm, Action<byte[]> emitDelta, MemoryStream store)
    {
        Tap?.OnOutgoing(pcm, format.SampleRate);
        while (!pcm.IsEmpty)
        {
            var chunk = pcm[..Math.Min(_chunkSamples, pcm.Length)];
            pcm = pcm[chunk.Length..];
            int bytes = chunk.Length * format.BytesPerSample;
            if (_wire.Length < bytes)
            {
                _wire = new byte[bytes];
            }

            switch (format.Encoding)
            {
                case AudioEncoding.PcmU:
                    G711.MuLawEncode(chunk, _wire);
                    break;
                case AudioEncoding.PcmA:
                    G711.ALawEncode(chunk, _wire);
                    break;
                default:
                    Pcm16.ToBytes(chunk, _wire);
                    break;
            }

            var delta = _wire.AsSpan(0, bytes).ToArray();
            store.Write(delta);
            emitDelta(delta);
        }
    }
}

/// <summary>
/// Call output: PCM queued on the media leg (which paces it), and kept as 24 kHz <c>audio/pcm</c> for
/// <c>conversation.item.retrieve</c> and truncation, the same format a WebSocket session stores.
/// </summary>
internal sealed class CallLegAudioOutput(ICallMediaLeg leg) : IResponseAudioOutput
{
    private readonly IResampler _toStore = Resampler.Create(leg.OutputSampleRate, 24_000);
    private short[] _stored = new short[4096];
    private byte[] _bytes = new byte[8192];

    public int SampleRate => leg.OutputSampleRate;

    public bool ClientOwnsPlayback => false;

    /// <summary>Where a copy of the outgoing PCM goes (the echo reference), queued behind what the leg holds.</summary>
    public IOutgoingAudioTap? Tap { get; init; }

    public void Write(ReadOnlySpan<short> pcm, Action<byte[]> emitDelta, MemoryStream store)
    {
        Tap?.OnOutgoing(pcm, leg.OutputSampleRate);
        leg.EnqueueOutput(pcm);
        int max = _toStore.MaxOutputSamples(pcm.Length);
        if (_stored.Length < max)
        {
            _stored = new short[max];
            _bytes = new byte[max * 2];
        }

        int n = _toStore.Process(pcm, _stored);
        Pcm16.ToBytes(_stored.AsSpan(0, n), _bytes);
        store.Write(_bytes, 0, n * 2);
    }
}
