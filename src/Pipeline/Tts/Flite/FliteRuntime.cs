using System.Runtime.InteropServices;
using MediaServer.Pipeline.Audio;

namespace MediaServer.Pipeline.Tts.Flite;

/// <summary>
/// The process-wide flite state: one <c>flite_init</c>, each voice registered once, every synthesis inside
/// <see cref="NativeSynthesisGate"/>. The gate is needed because speed and pitch are set on the shared voice's
/// feature set before each sentence; flite renders a sentence in a few tens of milliseconds (far faster than real
/// time), so serialising sentences across sessions costs little latency.
/// </summary>
internal static class FliteRuntime
{
    private static readonly Dictionary<string, Voice> Voices = new(StringComparer.Ordinal);
    private static bool _initialised;

    /// <summary>Base intonation means used when a voice does not state its own (typical values for each speaker).</summary>
    private static readonly Dictionary<string, float> FallbackF0 = new(StringComparer.Ordinal)
    {
        ["slt"] = 170, ["rms"] = 100, ["awb"] = 110, ["kal"] = 105,
    };

    private sealed record Voice(IntPtr Handle, IntPtr Features, float BaseF0, bool F0Present);

    /// <summary>Renders one sentence with the voice's settings; waits its turn at the gate.</summary>
    public static async ValueTask<short[]> SynthesizeAsync(string voiceName, string text, double durationStretch, double pitchFactor, CancellationToken cancellationToken)
    {
        using (await NativeSynthesisGate.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Render(GetVoice(voiceName), text, durationStretch, pitchFactor);
        }
    }

    /// <summary>Loads a voice ahead of the first sentence (about 50 ms each).</summary>
    public static async Task LoadAsync(string voiceName)
    {
        using (await NativeSynthesisGate.EnterAsync(CancellationToken.None).ConfigureAwait(false))
        {
            GetVoice(voiceName);
        }
    }

    private static Voice GetVoice(string name)
    {
        if (!_initialised)
        {
            FliteNative.FliteInit();
            _initialised = true;
        }

        if (Voices.TryGetValue(name, out var voice)) return voice;
        var handle = FliteNative.RegisterVoice(FliteVoices.Libraries[name]);
        var features = Marshal.PtrToStructure<FliteNative.CstVoiceHead>(handle).Features;
        var present = FliteNative.FeatPresent(features, FliteNative.FeatureName.F0TargetMean) != 0;
        var baseF0 = present
            ? FliteNative.GetParamFloat(features, FliteNative.FeatureName.F0TargetMean, FallbackF0[name])
            : FallbackF0[name];
        voice = new Voice(handle, features, baseF0, present);
        Voices[name] = voice;
        return voice;
    }

    private static unsafe short[] Render(Voice voice, string text, double durationStretch, double pitchFactor)
    {
        FliteNative.FeatSetFloat(voice.Features, FliteNative.FeatureName.DurationStretch, (float)durationStretch);
        if (Math.Abs(pitchFactor - 1) > 1e-3)
            FliteNative.FeatSetFloat(voice.Features, FliteNative.FeatureName.F0TargetMean, (float)(voice.BaseF0 * pitchFactor));
        else if (voice.F0Present)
            FliteNative.FeatSetFloat(voice.Features, FliteNative.FeatureName.F0TargetMean, voice.BaseF0);
        else
            FliteNative.FeatRemove(voice.Features, FliteNative.FeatureName.F0TargetMean);

        var wave = FliteNative.FliteTextToWave(text, voice.Handle);
        if (wave == null) return [];
        try
        {
            if (wave->NumChannels != 1 || wave->NumSamples <= 0 || wave->Samples == null) return [];
            var samples = new ReadOnlySpan<short>(wave->Samples, wave->NumSamples);
            if (wave->SampleRate == FliteTextToSpeech.OutputSampleRate) return samples.ToArray();

            // Every bundled voice is 16 kHz; convert anything else so SampleRate stays true.
            var resampler = Resampler.Create(wave->SampleRate, FliteTextToSpeech.OutputSampleRate);
            var output = new short[resampler.MaxOutputSamples(samples.Length)];
            var written = resampler.Process(samples, output);
            return output.AsSpan(0, written).ToArray();
        }
        finally
        {
            FliteNative.DeleteWave(wave);
        }
    }
}
