using System.Runtime.InteropServices;

namespace MediaServer.Hosting;

/// <summary>
/// Caps glibc's malloc arenas for the process (<c>mallopt(M_ARENA_MAX)</c>, what <c>MALLOC_ARENA_MAX</c> sets).
/// glibc gives busy threads arenas of their own, up to eight per core, and keeps their freed pages; the native
/// engines (pocketsphinx decoders, flite, ONNX Runtime) allocate on whichever thread runs a turn, so RSS crept up
/// about 2 MB a minute in a 30-minute soak while the managed heap was level. With two arenas it stayed level
/// (README, soak section). Called first thing at start, so the engines' threads are created under the cap.
/// </summary>
internal static partial class MallocArenas
{
    /// <summary><c>M_ARENA_MAX</c> from glibc's <c>malloc.h</c>.</summary>
    private const int ArenaMax = -8;

    /// <summary>Sets the cap; false off Linux, for 0 (glibc's default kept), or where libc refuses or lacks it (musl).</summary>
    public static bool TryLimit(int arenas)
    {
        if (arenas <= 0 || !OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return MallOpt(ArenaMax, arenas) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int param, int value);
}
