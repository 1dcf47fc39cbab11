using System.Runtime.InteropServices;

namespace MediaServer.Pipeline.Tts.Flite;

/// <summary>
/// P/Invoke into Debian's flite 2.2 (<c>libflite.so.1</c>); each voice lives in its own library
/// (<c>libflite_cmu_us_slt.so.1</c> exports <c>register_cmu_us_slt</c>) and is loaded on first use.
/// </summary>
internal static unsafe partial class FliteNative
{
    private const string Library = "libflite.so.1";

    [LibraryImport(Library, EntryPoint = "flite_init")]
    internal static partial int FliteInit();

    /// <summary><c>cst_wave *flite_text_to_wave(const char *text, cst_voice *voice)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "flite_text_to_wave", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CstWave* FliteTextToWave(string text, IntPtr voice);

    [LibraryImport(Library, EntryPoint = "delete_wave")]
    internal static partial void DeleteWave(CstWave* wave);

    /// <summary><c>void flite_feat_set_float(cst_features *f, const char *name, float v)</c>. flite keeps the
    /// name pointer without copying it, so names must be <see cref="FeatureName"/>s that live forever.</summary>
    [LibraryImport(Library, EntryPoint = "flite_feat_set_float")]
    internal static partial void FeatSetFloat(IntPtr features, IntPtr name, float value);

    [LibraryImport(Library, EntryPoint = "flite_get_param_float")]
    internal static partial float GetParamFloat(IntPtr features, IntPtr name, float fallback);

    [LibraryImport(Library, EntryPoint = "flite_feat_remove")]
    internal static partial int FeatRemove(IntPtr features, IntPtr name);

    [LibraryImport(Library, EntryPoint = "feat_present")]
    internal static partial int FeatPresent(IntPtr features, IntPtr name);

    /// <summary>Feature names allocated once for the life of the process (see <see cref="FeatSetFloat"/>).</summary>
    internal static class FeatureName
    {
        /// <summary>Multiplies every segment duration: 2 is half speed.</summary>
        public static readonly IntPtr DurationStretch = Marshal.StringToHGlobalAnsi("duration_stretch");

        /// <summary>Mean of the intonation target in Hz; raising it raises the voice.</summary>
        public static readonly IntPtr F0TargetMean = Marshal.StringToHGlobalAnsi("int_f0_target_mean");
    }

    /// <summary>flite 2.2's <c>cst_wave</c> (include/cst_wave.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CstWave
    {
        public IntPtr Type;
        public int SampleRate;
        public int NumSamples;
        public int NumChannels;
        public short* Samples;
    }

    /// <summary>The first field of flite's <c>cst_voice</c>: name, then the voice's feature set.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CstVoiceHead
    {
        public IntPtr Name;
        public IntPtr Features;
    }

    /// <summary>Loads <c>libflite_&lt;name&gt;.so.1</c> and calls its <c>register_&lt;name&gt;(NULL)</c>.</summary>
    internal static IntPtr RegisterVoice(string libraryVoiceName)
    {
        var library = NativeLibrary.Load($"libflite_{libraryVoiceName}.so.1");
        var register = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(library, $"register_{libraryVoiceName}");
        var voice = register(IntPtr.Zero);
        if (voice == IntPtr.Zero) throw new InvalidOperationException($"flite could not register the voice {libraryVoiceName}");
        return voice;
    }
}
