using System.Runtime.InteropServices;

namespace MediaServer.Pipeline.Tts.EspeakNg;

/// <summary>P/Invoke into Debian's espeak-ng 1.51 (<c>libespeak-ng.so.1</c>, API of <c>speak_lib.h</c>).</summary>
internal static unsafe partial class EspeakNgNative
{
    private const string Library = "libespeak-ng.so.1";

    /// <summary><c>AUDIO_OUTPUT_SYNCHRONOUS</c>: <c>espeak_Synth</c> renders on the calling thread and hands
    /// every buffer to the synth callback before it returns; nothing is played.</summary>
    internal const int AudioOutputSynchronous = 2;

    /// <summary><c>espeakINITIALIZE_DONT_EXIT</c>: report errors instead of calling exit().</summary>
    internal const int InitializeDontExit = 0x8000;

    internal const int PositionCharacter = 1;

    /// <summary><c>espeakCHARS_UTF8</c>.</summary>
    internal const uint CharsUtf8 = 1;

    /// <summary><c>espeakSSML</c>: the text is SSML.</summary>
    internal const uint Ssml = 0x10;

    /// <summary><c>espeakRATE</c>, words per minute, 80 to 450, default 175.</summary>
    internal const int ParameterRate = 1;

    internal const int Ok = 0;

    /// <summary>Returns the output sample rate (22,050 Hz), or -1.</summary>
    [LibraryImport(Library, EntryPoint = "espeak_Initialize", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Initialize(int output, int bufferMilliseconds, string? path, int options);

    /// <summary>Callback <c>int (*)(short *wav, int numsamples, espeak_EVENT *events)</c>; returning 1 aborts synthesis.</summary>
    [LibraryImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    internal static partial void SetSynthCallback(delegate* unmanaged<short*, int, IntPtr, int> callback);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetVoiceByName(string name);

    [LibraryImport(Library, EntryPoint = "espeak_SetParameter")]
    internal static partial int SetParameter(int parameter, int value, int relative);

    /// <summary><c>espeak_Synth(text, size, position, position_type, end_position, flags, unique_identifier, user_data)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "espeak_Synth")]
    internal static partial int Synth(byte* text, nuint size, uint position, int positionType, uint endPosition, uint flags, uint* uniqueIdentifier, IntPtr userData);
}
