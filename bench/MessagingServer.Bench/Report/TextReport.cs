using System.Text;
using MessagingServer.Bench.Scenarios;

namespace MessagingServer.Bench.Report;

/// <summary>Tables for the terminal: aligned columns, numbers to the right.</summary>
public static class TextReport
{
    public static string Table(ResultTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var widths = table.Columns.Select((c, i) => Math.Max(c.Length, table.Rows.Select(r => i < r.Count ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        text.AppendLine(table.Caption);
        text.AppendLine(Line(table.Columns, widths));
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in table.Rows)
        {
            text.AppendLine(Line(row, widths));
        }

        return text.ToString();
    }

    public static string Scenario(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"== {result.Name}: {result.Title}");
        if (result.SkipReason is not null)
        {
            text.AppendLine($"SKIPPED: {result.SkipReason}");
            return text.ToString();
        }

        if (result.Error is not null)
        {
            text.AppendLine($"ERROR: {result.Error}");
            return text.ToString();
        }

        text.AppendLine(result.Setup);
        foreach (var table in result.Tables)
        {
            text.AppendLine();
            text.Append(Table(table));
        }

        if (result.Checks.Count > 0)
        {
            text.AppendLine();
            text.Append(Table(ChecksTable("targets", result.Checks.Select(c => (result.Name, c)))));
        }

        foreach (var note in result.Notes)
        {
            text.AppendLine("note: " + note);
        }

        return text.ToString();
    }

    public static ResultTable ChecksTable(string caption, IEnumerable<(string Scenario, TargetCheck Check)> checks) =>
        new(caption, ["scenario", "metric", "measured", "target", "verdict"],
            checks.Select(c => (IReadOnlyList<string>)[c.Scenario, c.Check.Metric, c.Check.Measured, c.Check.Target, VerdictText(c.Check.Verdict)]).ToList());

    public static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Fail => "FAIL",
        _ => "not measured",
    };

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", widths.Select((w, i) =>
        {
            var cell = i < cells.Count ? cells[i] : "";
            return LooksNumeric(cell) ? cell.PadLeft(w) : cell.PadRight(w);
        })).TrimEnd();

    private static bool LooksNumeric(string cell) =>
        cell.Length > 0 && (char.IsDigit(cell[0]) || cell == "—" || (cell[0] is '-' or '≥' or '≤' && cell.Length > 1)) && !cell.Contains(' ', StringComparison.Ordinal);
}
