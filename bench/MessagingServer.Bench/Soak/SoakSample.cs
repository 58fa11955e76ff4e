using System.Globalization;
using MessagingServer.Bench.Processes;

namespace MessagingServer.Bench.Soak;

/// <summary>
/// One reading of the server under soak: resident memory, the live GC heap (after a full collection, so
/// garbage waiting for the next GC does not look like growth), open file descriptors, threads, and the load
/// done so far.
/// </summary>
public sealed record SoakSample(
    double ElapsedSeconds,
    double RssMib,
    double? HeapMib,
    int? OpenFds,
    int? Threads,
    long Sends,
    long Webhooks,
    long Reconnects,
    long SlowReaderCycles,
    long Errors)
{
    public const string CsvHeader = "elapsed_s,rss_mib,heap_mib,open_fds,threads,sends,webhooks,reconnects,slow_reader_cycles,errors";

    public string ToCsv() => string.Join(',',
        F(ElapsedSeconds, "0.0"), F(RssMib, "0.0"), HeapMib is { } h ? F(h, "0.0") : "", OpenFds?.ToString(CultureInfo.InvariantCulture) ?? "",
        Threads?.ToString(CultureInfo.InvariantCulture) ?? "", I(Sends), I(Webhooks), I(Reconnects), I(SlowReaderCycles), I(Errors));

    /// <summary>Reads one line written by <see cref="ToCsv"/>; null when it is not one.</summary>
    public static SoakSample? FromCsv(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var f = line.Split(',');
        if (f.Length != 10 || !D(f[0], out var elapsed) || !D(f[1], out var rss))
        {
            return null;
        }

        double? heap = D(f[2], out var h) ? h : null;
        int? fds = int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var fd) ? fd : null;
        int? threads = int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
        var counts = new long[5];
        for (var i = 0; i < 5; i++)
        {
            if (!long.TryParse(f[5 + i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i]))
            {
                return null;
            }
        }

        return new SoakSample(elapsed, rss, heap, fds, threads, counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    /// <summary>Open descriptors of a process (entries of <c>/proc/PID/fd</c>), or null when they cannot be read.</summary>
    public static int? OpenFdsOf(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The <c>Threads:</c> line of <c>/proc/PID/status</c>, or null.</summary>
    public static int? ThreadsOf(int pid)
    {
        try
        {
            return ParseThreads(File.ReadAllText($"/proc/{pid}/status"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static int? ParseThreads(string status) =>
        ProcStats.ParseStatusKib(status, "Threads") is { } n and <= int.MaxValue ? (int)n : null;

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool D(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
