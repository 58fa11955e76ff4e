namespace MessagingServer.Bench.Stats;

/// <summary>Nearest-rank percentiles: the smallest sample with at least p% of the samples at or below it.</summary>
public static class Percentiles
{
    /// <summary><paramref name="sorted"/> ascending; <paramref name="percent"/> in (0, 100]. NaN when there are no samples.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (percent is <= 0 or > 100 || double.IsNaN(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "a percentile is above 0 and at most 100");
        }

        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    public static double Of(IEnumerable<double> samples, double percent)
    {
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return OfSorted(sorted, percent);
    }
}

/// <summary>The middle value (the mean of the two middle ones for an even count); NaN when empty.</summary>
public static class Median
{
    public static double Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(v => !double.IsNaN(v)).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>
/// The median of per-round ratios A/B. Each round's A and B ran back to back, so a ratio cancels what
/// the machine was doing during that round; the median drops the odd round. A round where either side
/// has no value (or B is 0) is left out.
/// </summary>
public static class MedianRatio
{
    public static double Of(IEnumerable<(double A, double B)> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        return Median.Of(rounds
            .Where(r => !double.IsNaN(r.A) && !double.IsNaN(r.B) && r.B != 0 && !double.IsInfinity(r.A) && !double.IsInfinity(r.B))
            .Select(r => r.A / r.B));
    }
}

/// <summary>Count, percentiles and extremes of latencies in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static readonly LatencySummary Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static LatencySummary From(IEnumerable<double> samplesMs)
    {
        var sorted = samplesMs.ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        Array.Sort(sorted);
        return new LatencySummary(
            sorted.Length,
            Percentiles.OfSorted(sorted, 50),
            Percentiles.OfSorted(sorted, 90),
            Percentiles.OfSorted(sorted, 99),
            sorted[^1],
            sorted.Average());
    }
}
