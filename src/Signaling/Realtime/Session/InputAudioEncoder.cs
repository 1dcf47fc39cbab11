using MediaServer.Pipeline.Audio;
using MediaServer.Rtc.Codecs;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>Converts a committed 16 kHz turn back to the session's input wire format, for <c>conversation.item.retrieve</c>.</summary>
internal static class InputAudioEncoder
{
    public static byte[] Encode(short[] audio16k, RealtimeAudioFormat format)
    {
        var resampler = Resampler.Create(AudioConstants.PipelineSampleRate, format.SampleRate);
        var pcm = new short[resampler.MaxOutputSamples(audio16k.Length)];
        int n = resampler.Process(audio16k, pcm);
        var bytes = new byte[n * format.BytesPerSample];
        switch (format.Encoding)
        {
            case AudioEncoding.PcmU:
                G711.MuLawEncode(pcm.AsSpan(0, n), bytes);
                break;
            case AudioEncoding.PcmA:
                G711.ALawEncode(pcm.AsSpan(0, n), bytes);
                break;
            default:
                Pcm16.ToBytes(pcm.AsSpan(0, n), bytes);
                break;
        }

        return bytes;
    }
}
