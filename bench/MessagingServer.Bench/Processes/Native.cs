using System.Runtime.InteropServices;

namespace MessagingServer.Bench.Processes;

/// <summary>The few libc calls the tool needs on Linux: the open-file limit and SIGTERM.</summary>
internal static partial class Native
{
    private const int RlimitNoFile = 7;
    private const int SigTerm = 15;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>The soft and hard open-file limits, or null off Linux.</summary>
    public static (ulong Soft, ulong Hard)? OpenFileLimit()
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNoFile, out var limit) != 0)
        {
            return null;
        }

        return (limit.Current, limit.Maximum);
    }

    /// <summary>
    /// Raises the soft open-file limit to <paramref name="wanted"/> (and the hard one too, which only root
    /// may do); falls back to the hard limit. Child processes (the servers) inherit the result.
    /// </summary>
    public static (ulong Soft, ulong Hard)? RaiseOpenFileLimit(ulong wanted)
    {
        if (OpenFileLimit() is not { } current)
        {
            return null;
        }

        if (current.Soft >= wanted)
        {
            return current;
        }

        if (SetRLimit(RlimitNoFile, new RLimit { Current = wanted, Maximum = Math.Max(wanted, current.Hard) }) != 0)
        {
            SetRLimit(RlimitNoFile, new RLimit { Current = Math.Min(wanted, current.Hard), Maximum = current.Hard });
        }

        return OpenFileLimit();
    }

    /// <summary>SIGTERM, as a service manager would stop the server (it closes sockets with 1001 and exits).</summary>
    public static bool Terminate(int pid) => OperatingSystem.IsLinux() && Kill(pid, SigTerm) == 0;
}
