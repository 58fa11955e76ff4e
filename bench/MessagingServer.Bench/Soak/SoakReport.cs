using System.Globalization;
using MessagingServer.Bench.Scenarios;

namespace MessagingServer.Bench.Soak;

/// <summary>The soak's samples and trend as the tool's tables and checks, and as a CSV file.</summary>
public static class SoakReport
{
    /// <summary>Rows of the samples table: enough to see a shape, few enough to read.</summary>
    public const int TableRows = 13;

    public static void WriteCsv(string path, IEnumerable<SoakSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        File.WriteAllLines(path, samples.Select(s => s.ToCsv()).Prepend(SoakSample.CsvHeader));
    }

    /// <summary>Evenly spaced samples, always with the first and the last.</summary>
    public static IReadOnlyList<SoakSample> Thin(IReadOnlyList<SoakSample> samples, int rows)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count <= rows || rows < 2)
        {
            return samples;
        }

        return [.. Enumerable.Range(0, rows).Select(i => samples[(int)Math.Round(i * (samples.Count - 1) / (double)(rows - 1))])];
    }

    public static ResultTable SamplesTable(IReadOnlyList<SoakSample> samples) => new(
        $"server resources over time ({samples.Count} samples; every sample in the CSV)",
        ["elapsed", "RSS MiB", "GC heap MiB", "open fds", "threads", "sends", "webhooks", "reconnects", "slow-reader cycles", "errors"],
        [.. Thin(samples, TableRows).Select(s => (IReadOnlyList<string>)
        [
            Minutes(s.ElapsedSeconds), Fmt.Num(s.RssMib, "0.0"), Fmt.Num(s.HeapMib, "0.0"), Opt(s.OpenFds), Opt(s.Threads),
            Fmt.Int(s.Sends), Fmt.Int(s.Webhooks), Fmt.Int(s.Reconnects), Fmt.Int(s.SlowReaderCycles), Fmt.Int(s.Errors),
        ])]);

    public static ResultTable TrendTable(IReadOnlyList<SoakMetricTrend> trends) => new(
        "trend: mean of the last quarter of the samples vs the first quarter",
        ["resource", "first quarter", "last quarter", "change", "allowed", "verdict"],
        [.. trends.Select(t => (IReadOnlyList<string>)
        [
            t.Metric, Value(t.First, t.Unit), Value(t.Last, t.Unit),
            Fmt.Num(t.Change, "+0.0;-0.0;0") + (double.IsNaN(t.ChangePercent) ? "" : $" ({Fmt.Num(t.ChangePercent, "+0;-0;0")} %)"),
            "+" + Value(t.Allowed, t.Unit), t.Grew ? "GROWS" : "flat",
        ])]);

    public static IReadOnlyList<TargetCheck> Checks(IReadOnlyList<SoakMetricTrend> trends) =>
    [
        .. trends.Select(t => new TargetCheck(
            $"soak: {t.Metric} growth, last vs first quarter",
            Fmt.Num(t.Change, "+0.0;-0.0;0") + " " + t.Unit,
            "≤ +" + Value(t.Allowed, t.Unit),
            t.Grew ? Verdict.Fail : Verdict.Pass)),
    ];

    private static string Minutes(double seconds) =>
        seconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s") : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.0} min");

    private static string Value(double value, string unit) => Fmt.Num(value, "0.0") + " " + unit;

    private static string Opt(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "—";
}
