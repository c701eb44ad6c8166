using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CrossMargin.Risk.Benchmarks;

/// <summary>
/// CPU time of the calling thread: getrusage(RUSAGE_THREAD) on Linux (microsecond resolution, unaffected by other
/// processes competing for the cores); the process's total CPU time elsewhere.
/// </summary>
internal static class ThreadCpu
{
    private const int RusageThread = 1;

    public static TimeSpan Now()
    {
        if (OperatingSystem.IsLinux())
        {
            var usage = new long[18];
            if (GetRusage(RusageThread, usage) == 0)
            {
                var micros = (usage[0] * 1_000_000L) + usage[1] + (usage[2] * 1_000_000L) + usage[3];
                return TimeSpan.FromMicroseconds(micros);
            }
        }

        return Process.GetCurrentProcess().TotalProcessorTime;
    }

    // DllImport (not LibraryImport): a blittable long[] needs no marshalling code, and the project stays free of unsafe.
    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, [Out] long[] usage);
}
