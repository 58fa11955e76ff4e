namespace MessagingServer.Bench.Soak;

/// <summary>One resource's trend: its mean over the first and the last quarter of the samples, and whether that is growth.</summary>
public sealed record SoakMetricTrend(string Metric, string Unit, double First, double Last, double Allowed, bool Grew)
{
    public double Change => Last - First;

    public double ChangePercent => First > 0 ? (Last - First) / First * 100 : double.NaN;
}

/// <summary>
/// Decides whether a soak run grew: the mean of each resource over the last quarter of the samples against
/// the first quarter's. A quarter, not the first and last sample, so one GC or one burst of reconnects does
/// not decide. Growth is more than a margin (a share of the first quarter, at least an absolute floor), since
/// a warming server's caches and thread pool settle during the first minutes.
/// </summary>
public static class SoakTrend
{
    /// <summary>The fewest samples a trend is drawn from (one per quarter).</summary>
    public const int MinimumSamples = 4;

    public static readonly IReadOnlyList<Rule> Rules =
    [
        new("resident memory", "MiB", s => s.RssMib, Share: 0.25, Floor: 32),
        new("GC heap (live)", "MiB", s => s.HeapMib, Share: 0.25, Floor: 16),
        new("open descriptors", "fds", s => s.OpenFds, Share: 0.20, Floor: 16),
        new("threads", "threads", s => s.Threads, Share: 0.25, Floor: 8),
    ];

    public static IReadOnlyList<SoakMetricTrend> Judge(IReadOnlyList<SoakSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < MinimumSamples)
        {
            return [];
        }

        var quarter = samples.Count / 4;
        var first = samples.Take(quarter).ToList();
        var last = samples.Skip(samples.Count - quarter).ToList();
        var trends = new List<SoakMetricTrend>();
        foreach (var rule in Rules)
        {
            var a = Mean(first, rule.Read);
            var b = Mean(last, rule.Read);
            if (a is not { } from || b is not { } to)
            {
                continue;
            }

            var allowed = Math.Max(from * rule.Share, rule.Floor);
            trends.Add(new SoakMetricTrend(rule.Metric, rule.Unit, from, to, allowed, to - from > allowed));
        }

        return trends;
    }

    private static double? Mean(IReadOnlyList<SoakSample> samples, Func<SoakSample, double?> read)
    {
        var values = samples.Select(read).Where(v => v is not null).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    /// <summary>A resource, how to read it from a sample, and how much it may grow: <c>max(first × Share, Floor)</c>.</summary>
    public sealed record Rule(string Metric, string Unit, Func<SoakSample, double?> Read, double Share, double Floor);
}
