using System.Buffers.Binary;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Browser.Tests;

/// <summary>
/// A WAV for Chromium's <c>--use-file-for-fake-audio-capture</c>: flite speech at 48 kHz mono (the rate Chromium's fake
/// capture plays), with silence around it (the lead covers the call setup, so the first question is heard whole). Chromium loops the file, so the agent hears the question again and again.
/// </summary>
public static class FakeMicrophone
{
    public const int SampleRate = 48_000;

    public static string Wav(string text, double leadSeconds = 2.0, double tailSeconds = 3.0)
    {
        string path = Path.Combine(BrowserArtifacts.Directory, $"mic-{string.Join('-', text.Split(' '))}.wav".Replace("?", "", StringComparison.Ordinal));
        byte[] pcm = TestSpeech.Pcm(text, SampleRate, leadSeconds, tailSeconds);
        File.WriteAllBytes(path, WithHeader(pcm, SampleRate));
        return path;
    }

    /// <summary>A canonical 44-byte RIFF/WAVE header (PCM, 16-bit, mono) in front of the samples.</summary>
    public static byte[] WithHeader(byte[] pcm, int sampleRate)
    {
        var wav = new byte[44 + pcm.Length];
        var s = wav.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], 36 + pcm.Length);
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(s[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(s[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(s[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(s[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(s[34..], 16);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[40..], pcm.Length);
        pcm.CopyTo(s[44..]);
        return wav;
    }
}
