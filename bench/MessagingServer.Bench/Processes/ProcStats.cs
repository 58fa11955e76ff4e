using System.Globalization;

namespace MessagingServer.Bench.Processes;

/// <summary>Reads a process's CPU time and resident memory from <c>/proc</c> (Linux).</summary>
public static class ProcStats
{
    /// <summary>Clock ticks per second of <c>/proc/&lt;pid&gt;/stat</c> times (USER_HZ, 100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>utime + stime in milliseconds, or null when the process is gone.</summary>
    public static double? CpuMilliseconds(int pid)
    {
        try
        {
            return ParseStatCpuMilliseconds(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>VmRSS in KiB, or null when the process is gone.</summary>
    public static long? ResidentKib(int pid)
    {
        try
        {
            return ParseStatusKib(File.ReadAllText($"/proc/{pid}/status"), "VmRSS");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Fields 14 (utime) and 15 (stime) of a <c>stat</c> line. The second field, the command name in
    /// parentheses, may itself hold spaces and parentheses, so fields are counted after the last ')'.
    /// </summary>
    public static double? ParseStatCpuMilliseconds(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " come field 3 (state), 4, 5, ...: utime is field 14, the 12th after the name.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
        {
            return null;
        }

        return (utime + stime) * 1000.0 / TicksPerSecond;
    }

    /// <summary>A "Name:   1234 kB" line of <c>/proc/&lt;pid&gt;/status</c>, in KiB.</summary>
    public static long? ParseStatusKib(string status, string name)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line[(name.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : null;
        }

        return null;
    }
}
