using System.Runtime.InteropServices;
using System.Text;

namespace MediaServer.Pipeline.Tts.EspeakNg;

/// <summary>
/// espeak-ng keeps its voice, parameters and callback in process-global state, so every synthesis in the process
/// goes through <see cref="NativeSynthesisGate"/>. It runs in <c>AUDIO_OUTPUT_SYNCHRONOUS</c> mode: <c>espeak_Synth</c> renders on the
/// calling thread (a thread-pool thread, never the caller's) and passes each buffer to <see cref="OnSynth"/>,
/// which also aborts synthesis mid-sentence once the request is cancelled.
/// </summary>
internal static class EspeakNgRuntime
{
    // Guarded by Gate: the sentence being rendered.
    private static short[] _buffer = new short[EspeakNgTextToSpeech.OutputSampleRate * 4];
    private static int _count;
    private static CancellationToken _token;
    private static int _sampleRate;
    private static string? _voice;

    /// <summary>Renders one SSML sentence with <paramref name="voice"/> at <paramref name="wordsPerMinute"/>.</summary>
    public static async ValueTask<short[]> SynthesizeAsync(string? dataPath, string voice, int wordsPerMinute, string ssml, CancellationToken cancellationToken)
    {
        using (await NativeSynthesisGate.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Render(dataPath, voice, wordsPerMinute, ssml, cancellationToken);
        }
    }

    private static unsafe short[] Render(string? dataPath, string voice, int wordsPerMinute, string ssml, CancellationToken cancellationToken)
    {
        EnsureInitialised(dataPath);
        if (!string.Equals(_voice, voice, StringComparison.Ordinal))
        {
            if (EspeakNgNative.SetVoiceByName(voice) != EspeakNgNative.Ok && EspeakNgNative.SetVoiceByName("en-us") != EspeakNgNative.Ok)
                throw new InvalidOperationException("espeak-ng could not select a voice");
            _voice = voice;
        }

        EspeakNgNative.SetParameter(EspeakNgNative.ParameterRate, wordsPerMinute, 0);
        _count = 0;
        _token = cancellationToken;
        try
        {
            var bytes = Encoding.UTF8.GetBytes(ssml + "\0");
            int result;
            fixed (byte* text = bytes)
            {
                result = EspeakNgNative.Synth(text, (nuint)bytes.Length, 0, EspeakNgNative.PositionCharacter, 0,
                    EspeakNgNative.CharsUtf8 | EspeakNgNative.Ssml, null, IntPtr.Zero);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (result != EspeakNgNative.Ok) throw new InvalidOperationException($"espeak_Synth failed ({result})");
            return _buffer.AsSpan(0, _count).ToArray();
        }
        finally
        {
            _token = default;
        }
    }

    private static unsafe void EnsureInitialised(string? dataPath)
    {
        if (_sampleRate != 0) return;
        var rate = EspeakNgNative.Initialize(EspeakNgNative.AudioOutputSynchronous, 200, dataPath, EspeakNgNative.InitializeDontExit);
        if (rate <= 0) throw new InvalidOperationException("espeak-ng failed to initialise (is espeak-ng-data installed?)");
        if (rate != EspeakNgTextToSpeech.OutputSampleRate) throw new InvalidOperationException($"espeak-ng renders at {rate} Hz, expected {EspeakNgTextToSpeech.OutputSampleRate}");
        EspeakNgNative.SetSynthCallback(&OnSynth);
        _sampleRate = rate;
    }

    [UnmanagedCallersOnly]
    private static unsafe int OnSynth(short* wav, int samples, IntPtr events)
    {
        if (wav != null && samples > 0)
        {
            if (_count + samples > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + samples));
            new ReadOnlySpan<short>(wav, samples).CopyTo(_buffer.AsSpan(_count));
            _count += samples;
        }

        return _token.IsCancellationRequested ? 1 : 0;
    }
}
