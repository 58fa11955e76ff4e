using MessagingServer.Bench.Runs;
using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Scenarios;

/// <summary>The standard A/B table: one row per run in the order they ran, then the medians and the median ratio.</summary>
public static class AbTable
{
    private static readonly string[] Columns =
        ["round", "side", "ops", "ops/s", "p50 ms", "p99 ms", "max ms", "errors", "CPU-µs/op", "B alloc/op", "process cores", "tool cores"];

    public static ResultTable Build(
        string caption, IReadOnlyList<(RunResult A, RunResult B)> rounds, string nameA, string nameB, string unit = "ops",
        params (string Name, Func<RunResult, double> Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ArgumentNullException.ThrowIfNull(extra);
        var rows = new List<IReadOnlyList<string>>();
        for (var r = 0; r < rounds.Count; r++)
        {
            foreach (var side in AbSchedule.Order(r))
            {
                var run = side == Side.A ? rounds[r].A : rounds[r].B;
                rows.Add([.. Row((r + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), side == Side.A ? nameA : nameB, run),
                    .. extra.Select(x => Fmt.Num(x.Value(run), "N0"))]);
            }
        }

        var medianA = rounds.Select(p => p.A).ToList();
        var medianB = rounds.Select(p => p.B).ToList();
        rows.Add([.. MedianRow("median", nameA, medianA), .. extra.Select(x => Fmt.Num(Median.Of(medianA.Select(x.Value)), "N0"))]);
        rows.Add([.. MedianRow("median", nameB, medianB), .. extra.Select(x => Fmt.Num(Median.Of(medianB.Select(x.Value)), "N0"))]);
        rows.Add(
        [
            "ratio", $"{nameA}/{nameB}", "", Fmt.Ratio(ThroughputRatio(rounds)), "", "", "", "",
            Fmt.Ratio(MedianRatio.Of(rounds.Select(p => (Cpu(p.A), Cpu(p.B))))), "", "", "",
            .. extra.Select(_ => ""),
        ]);
        var columns = Columns.Select(c => c.Replace("ops", unit, StringComparison.Ordinal)).Concat(extra.Select(x => x.Name)).ToList();
        return new ResultTable(caption, columns, rows);
    }

    /// <summary>The median over rounds of A's throughput over B's.</summary>
    public static double ThroughputRatio(IEnumerable<(RunResult A, RunResult B)> rounds) =>
        MedianRatio.Of(rounds.Select(p => (p.A.Throughput, p.B.Throughput)));

    public static double MedianOf(IEnumerable<RunResult> runs, Func<RunResult, double> value) => Median.Of(runs.Select(value));

    private static double Cpu(RunResult run) => run.Process?.CpuUsPerOp ?? double.NaN;

    private static List<string> Row(string round, string side, RunResult run) =>
    [
        round, side, Fmt.Int(run.Operations), Fmt.Num(run.Throughput, "N0"), Fmt.Ms(run.Latency.P50), Fmt.Ms(run.Latency.P99), Fmt.Ms(run.Latency.Max),
        Fmt.Int(run.Errors + run.Timeouts), Fmt.Num(run.Process?.CpuUsPerOp, "N0"), Fmt.Num(run.Process?.BytesPerOp, "N0"),
        Fmt.Num(run.Process?.CpuCores, "0.00"), Fmt.Num(run.ToolCores, "0.00"),
    ];

    private static List<string> MedianRow(string label, string side, IReadOnlyList<RunResult> runs) =>
    [
        label, side, Fmt.Num(Median.Of(runs.Select(r => (double)r.Operations)), "N0"), Fmt.Num(Median.Of(runs.Select(r => r.Throughput)), "N0"),
        Fmt.Ms(Median.Of(runs.Select(r => r.Latency.P50))), Fmt.Ms(Median.Of(runs.Select(r => r.Latency.P99))), Fmt.Ms(Median.Of(runs.Select(r => r.Latency.Max))),
        Fmt.Num(Median.Of(runs.Select(r => (double)(r.Errors + r.Timeouts))), "N0"),
        Fmt.Num(Median.Of(runs.Select(r => r.Process?.CpuUsPerOp ?? double.NaN)), "N0"),
        Fmt.Num(Median.Of(runs.Select(r => r.Process?.BytesPerOp ?? double.NaN)), "N0"),
        Fmt.Num(Median.Of(runs.Select(r => r.Process?.CpuCores ?? double.NaN)), "0.00"),
        Fmt.Num(Median.Of(runs.Select(r => r.ToolCores)), "0.00"),
    ];
}
