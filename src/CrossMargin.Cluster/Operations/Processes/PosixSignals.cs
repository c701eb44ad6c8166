using System.ComponentModel;
using System.Runtime.InteropServices;

namespace CrossMargin.Cluster.Operations.Processes;

/// <summary>
/// Sends POSIX signals to a process by id through libc's <c>kill(2)</c>: SIGTERM for a clean hand-off, SIGKILL for a
/// crash, SIGSTOP/SIGCONT for a paused process (what .NET's <see cref="System.Diagnostics.Process"/> cannot send).
/// Linux signal numbers; on other systems every call throws <see cref="PlatformNotSupportedException"/>.
/// </summary>
public static partial class PosixSignals
{
    /// <summary>SIGKILL (9): the process ends at once, no handler runs.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM (15): asks the process to stop; a node hands its shards off and exits 0.</summary>
    public const int Terminate = 15;

    /// <summary>SIGCONT (18 on Linux): resumes a stopped process.</summary>
    public const int Continue = 18;

    /// <summary>SIGSTOP (19 on Linux): freezes the process (cannot be caught), as a long GC pause or a VM stall would.</summary>
    public const int Stop = 19;

    /// <summary>SIGINT (2): what Ctrl-C sends.</summary>
    public const int Interrupt = 2;

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>.</summary>
    /// <returns>False when the process no longer exists (ESRCH); true when the signal was delivered.</returns>
    /// <exception cref="Win32Exception">Any other failure (e.g. EPERM), with errno.</exception>
    public static bool Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("POSIX signals are sent through Linux's kill(2); this is not Linux");
        }

        if (NativeKill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        const int noSuchProcess = 3;
        return errno == noSuchProcess ? false : throw new Win32Exception(errno, $"kill({pid}, {signal}) failed with errno {errno}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
