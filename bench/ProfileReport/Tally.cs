using System.Globalization;

namespace MessagingServer.ProfileReport;

/// <summary>Counts (samples or bytes) by name, printed as a Markdown table of shares.</summary>
public sealed class Tally
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public long Total { get; private set; }

    public void Add(string name, long amount)
    {
        _counts[name] = _counts.GetValueOrDefault(name) + amount;
        Total += amount;
    }

    public IEnumerable<(string Name, long Count)> Top(int n) =>
        _counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(n).Select(p => (p.Key, p.Value));

    public string Table(string heading, string column, int n, long? of = null)
    {
        var whole = of ?? Total;
        var lines = new List<string> { $"| {heading} | {column} |", "|---|---|" };
        lines.AddRange(Top(n).Select(p => string.Create(
            CultureInfo.InvariantCulture, $"| {Cell(p.Name)} | {(whole == 0 ? 0 : 100.0 * p.Count / whole):0.0} % |")));
        return string.Join('\n', lines);
    }

    /// <summary>A name fit for a table cell: no pipes, at most 140 characters.</summary>
    public static string Cell(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var clean = name.Replace('|', '/');
        return clean.Length <= 140 ? clean : clean[..140] + "…";
    }
}
