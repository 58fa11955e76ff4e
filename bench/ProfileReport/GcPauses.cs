using System.Globalization;

namespace MessagingServer.ProfileReport;

/// <summary>
/// The runtime's stop-the-world pauses in a trace: from each <c>GC/SuspendEEStart</c> to the next
/// <c>GC/RestartEEStop</c>, with the generation of the collection in between (none for a suspension without a GC).
/// </summary>
public sealed class GcPauses
{
    private readonly List<(double Ms, int Generation)> _pauses = [];
    private double? _suspendedAt;
    private int _generation = -1;

    public IReadOnlyList<(double Ms, int Generation)> Pauses => _pauses;

    public void Suspended(double atMs)
    {
        _suspendedAt = atMs;
        _generation = -1;
    }

    public void Collecting(int generation) => _generation = generation;

    /// <summary>A suspension that is not a GC's: its restart is not a pause of ours.</summary>
    public void Ignored() => _suspendedAt = null;

    public void Restarted(double atMs)
    {
        if (_suspendedAt is { } start && atMs >= start)
        {
            _pauses.Add((atMs - start, _generation));
        }

        _suspendedAt = null;
    }

    public string Summary(double traceMs)
    {
        if (_pauses.Count == 0)
        {
            return "no GC pauses in the trace";
        }

        var sorted = _pauses.Select(p => p.Ms).Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        var byGen = string.Join(", ", _pauses.GroupBy(p => p.Generation).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{(g.Key < 0 ? "generation not traced" : "gen" + g.Key)} {g.Count()} (max {g.Max(p => p.Ms):0.0} ms)")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"GC pauses: {_pauses.Count:N0} in {traceMs / 1000:0.0} s ({_pauses.Count / (traceMs / 1000):0.0}/s), {100 * sorted.Sum() / traceMs:0.0} % of the time stopped; " +
            $"p50 {At(0.5):0.00} ms, p99 {At(0.99):0.00} ms, max {sorted[^1]:0.00} ms; {byGen}");
    }
}
