using MediaServer.Pipeline.Audio;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Upstream;

namespace MediaServer.Signaling.Tests.Realtime.Upstream;

public sealed class UpstreamAudioTests
{
    private static byte[] Tone24k(int ms)
    {
        var pcm = new short[24 * ms];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 24_000.0));
        }

        var bytes = new byte[pcm.Length * 2];
        Pcm16.ToBytes(pcm, bytes);
        return bytes;
    }

    [Theory]
    [InlineData(AudioEncoding.PcmU)]
    [InlineData(AudioEncoding.PcmA)]
    public void Upstream_pcm_becomes_a_g711_clients_audio_with_its_level(AudioEncoding encoding)
    {
        var audio = new UpstreamAudio();
        var format = new RealtimeAudioFormat(encoding);
        var pcm = audio.Decode(Tone24k(200), RealtimeAudioFormat.Pcm24k);
        Assert.Equal(4800, pcm.Length);
        Assert.InRange(Pcm16.Rms(pcm), 0.15, 0.19);
        var converted = audio.Convert(pcm, UpstreamAudio.Rate, 8000);
        Assert.InRange(Pcm16.Rms(converted[200..]), 0.15, 0.19);
        byte[] wire = UpstreamAudio.Encode(converted, format);
        Assert.Equal(converted.Length, wire.Length);
        var back = new short[wire.Length];
        format.Decode(wire, back);
        // A 440 Hz tone at 8000 keeps its RMS (8000 / sqrt 2 / 32768 of full scale) through the resampler and G.711, past the filter's start.
        Assert.InRange(Pcm16.Rms(back.AsSpan(200)), 0.15, 0.19);
    }
}
