using System.Globalization;

namespace MessagingServer.Bench.Scenarios;

/// <summary>The cluster scenario's failover tables: every round as it ran, then min/median/max per <c>Cluster:StableAfter</c>.</summary>
public static class FailoverTables
{
    public static ResultTable Rounds(IReadOnlyList<FailoverRound> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        return new ResultTable(
            "failover rounds: kill -9 of the node holding the session → first event on the user's socket on node 1",
            ["round", "StableAfter s", "killed", "failover s", "probes", "not 200 (status ×count)", "reconnects", "23505 in logs"],
            [.. rounds.Select(r => (IReadOnlyList<string>)
            [
                r.Round.ToString(CultureInfo.InvariantCulture), Seconds(r.StableAfterSeconds), r.KilledNode,
                double.IsNaN(r.Seconds) ? $"not within {ClusterFailover.MaxFailover.TotalSeconds:0} s" : Seconds(r.Seconds),
                r.Probes.ToString(CultureInfo.InvariantCulture), r.Refused,
                r.Reconnects.ToString(CultureInfo.InvariantCulture), r.DuplicateKeyErrors ? "yes" : "no",
            ])]);
    }

    public static ResultTable Summary(IReadOnlyList<FailoverRound> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        return new ResultTable(
            "failover time per Cluster:StableAfter (seconds)",
            ["StableAfter s", "rounds", "not recovered", "min", "median", "max"],
            [.. rounds.GroupBy(r => r.StableAfterSeconds).Select(g =>
            {
                var s = FailoverSummary.Of([.. g.Select(r => r.Seconds)]);
                return (IReadOnlyList<string>)
                [
                    Seconds(g.Key), s.Rounds.ToString(CultureInfo.InvariantCulture), s.NotRecovered.ToString(CultureInfo.InvariantCulture),
                    Seconds(s.Min), Seconds(s.Median), Seconds(s.Max),
                ];
            })]);
    }

    private static string Seconds(double value) => Fmt.Num(value, "0.0");
}
