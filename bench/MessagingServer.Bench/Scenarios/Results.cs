using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;
using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Scenarios;

public enum Verdict
{
    Pass,
    Fail,
    NotMeasured,
}

/// <summary>One target beside its measured value.</summary>
public sealed record TargetCheck(string Metric, string Measured, string Target, Verdict Verdict)
{
    public static TargetCheck AtLeast(string metric, double measured, double target, string format, string unit = "") =>
        new(metric, Fmt.Num(measured, format) + unit, "≥ " + Fmt.Num(target, format) + unit, Judge(measured, m => m >= target));

    public static TargetCheck AtMost(string metric, double measured, double target, string format, string unit = "") =>
        new(metric, Fmt.Num(measured, format) + unit, "≤ " + Fmt.Num(target, format) + unit, Judge(measured, m => m <= target));

    public static TargetCheck Exactly(string metric, long measured, long target) =>
        new(metric, measured.ToString(System.Globalization.CultureInfo.InvariantCulture), "= " + target.ToString(System.Globalization.CultureInfo.InvariantCulture), measured == target ? Verdict.Pass : Verdict.Fail);

    public static TargetCheck NotMeasured(string metric, string target, string why) => new(metric, why, target, Verdict.NotMeasured);

    private static Verdict Judge(double measured, Func<double, bool> ok) =>
        double.IsNaN(measured) ? Verdict.NotMeasured : ok(measured) ? Verdict.Pass : Verdict.Fail;
}

/// <summary>A table of a scenario: a caption, column names, rows of text.</summary>
public sealed record ResultTable(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>Everything a scenario reports: tables, checks against targets, notes; or why it did not run.</summary>
public sealed record ScenarioResult(
    string Name,
    string Title,
    string Setup,
    IReadOnlyList<ResultTable> Tables,
    IReadOnlyList<TargetCheck> Checks,
    IReadOnlyList<string> Notes,
    string? SkipReason = null,
    string? Error = null)
{
    public static ScenarioResult Skipped(string name, string title, string reason) => new(name, title, "", [], [], [], SkipReason: reason);

    public static ScenarioResult Failed(string name, string title, string error) => new(name, title, "", [], [], [], Error: error);
}

/// <summary>One measured run of one side: operations, time, latency, and what the side's process used.</summary>
public sealed record RunResult(
    Side Side,
    int Round,
    long Operations,
    double Seconds,
    LatencySummary Latency,
    ResourceUse? Process,
    double ToolCores,
    long Errors = 0,
    long Timeouts = 0,
    long Lost = 0,
    long Duplicates = 0)
{
    public double Throughput => Seconds > 0 ? Operations / Seconds : double.NaN;
}

public static class Fmt
{
    public static string Num(double value, string format) =>
        double.IsNaN(value) ? "—" : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    public static string Num(double? value, string format) => value is { } v ? Num(v, format) : "—";

    public static string Int(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Ms(double value) => Num(value, value < 10 ? "0.00" : "0.0");

    public static string Ratio(double value) => Num(value, "0.00") + (double.IsNaN(value) ? "" : "×");
}
