using System.Runtime.InteropServices;

namespace MediaServer.Rtc.Codecs;

/// <summary>
/// Our own P/Invoke surface over the system libopus (Debian libopus0 ships <c>libopus.so.0</c>). Only what the
/// encoder and decoder wrappers need; the ctl constants are those of <c>opus_defines.h</c>.
/// </summary>
public static unsafe partial class NativeOpus
{
    internal const string Library = "libopus.so.0";

    internal const int Ok = 0;
    internal const int ApplicationVoip = 2048;
    internal const int ApplicationAudio = 2049;
    internal const int SetBitrateRequest = 4002;
    internal const int SetVbrRequest = 4006;
    internal const int SetComplexityRequest = 4010;
    internal const int SetInbandFecRequest = 4012;
    internal const int SetPacketLossPercRequest = 4014;
    internal const int SetDtxRequest = 4016;
    internal const int SetSignalRequest = 4024;
    internal const int ResetStateRequest = 4028;
    internal const int SignalVoice = 3001;

    private static readonly Lazy<bool> s_available = new(Probe);

    /// <summary>True when <c>libopus.so.0</c> loads on this machine.</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary>The library's version string (for example <c>libopus 1.5.2</c>), or null when absent.</summary>
    public static string? Version => IsAvailable ? Marshal.PtrToStringAnsi((IntPtr)opus_get_version_string()) : null;

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(NativeOpus).Assembly, null, out IntPtr handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    [LibraryImport(Library)]
    internal static partial byte* opus_get_version_string();

    [LibraryImport(Library)]
    internal static partial IntPtr opus_encoder_create(int fs, int channels, int application, int* error);

    [LibraryImport(Library)]
    internal static partial void opus_encoder_destroy(IntPtr encoder);

    [LibraryImport(Library)]
    internal static partial int opus_encode(IntPtr encoder, short* pcm, int frameSize, byte* data, int maxDataBytes);

    // opus_encoder_ctl is variadic; on x86-64 System V and AArch64 Linux an int passed as the first variadic
    // argument travels exactly like a fixed int argument, which is all the setters need.
    [LibraryImport(Library)]
    internal static partial int opus_encoder_ctl(IntPtr encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_noarg(IntPtr encoder, int request);

    [LibraryImport(Library)]
    internal static partial IntPtr opus_decoder_create(int fs, int channels, int* error);

    [LibraryImport(Library)]
    internal static partial void opus_decoder_destroy(IntPtr decoder);

    [LibraryImport(Library)]
    internal static partial int opus_decode(IntPtr decoder, byte* data, int len, short* pcm, int frameSize, int decodeFec);

    [LibraryImport(Library, EntryPoint = "opus_decoder_ctl")]
    internal static partial int opus_decoder_ctl_noarg(IntPtr decoder, int request);

    internal static void ThrowIfUnavailable()
    {
        if (!IsAvailable)
        {
            throw new DllNotFoundException("libopus.so.0 is not installed (apt-get install libopus0).");
        }
    }
}
