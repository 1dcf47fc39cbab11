using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.Clock;

/// <summary>
/// Raises the calling thread's scheduling priority (its Linux nice value), for the media clock's own threads: when
/// speech recognition and synthesis keep every core busy, the thread that paces 20 ms frames must still be woken on
/// time. <see cref="Thread.Priority"/> cannot express that on Linux (normal threads have no static priority there,
/// only a nice value), so this calls <c>setpriority(2)</c> for the thread id. Lowering nice needs root or CAP_SYS_NICE; without it the thread keeps the default and this says so once.
/// </summary>
internal static partial class MediaThreadPriority
{
    private const int PrioProcess = 0;
    private static int _refusalLogged;

    /// <summary>Sets the calling thread's nice value; returns whether it took effect.</summary>
    public static bool TryRaise(int nice, ILogger logger)
    {
        if (nice == 0 || !OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            if (SetPriority(PrioProcess, GetThreadId(), nice) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (Interlocked.Exchange(ref _refusalLogged, 1) == 0)
            {
                MediaClockLog.PriorityRefused(logger, nice, errno);
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A libc without gettid (glibc before 2.30): the default priority serves.
        }

        return false;
    }

    /// <summary>The calling thread's nice value, or null off Linux (tests read it back).</summary>
    public static int? Current()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Marshal.SetLastPInvokeError(0);
        int value = GetPriority(PrioProcess, GetThreadId());
        return value == -1 && Marshal.GetLastPInvokeError() != 0 ? null : value;
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
