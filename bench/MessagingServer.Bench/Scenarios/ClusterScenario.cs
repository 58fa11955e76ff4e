using System.Globalization;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.TestSupport;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Scenario 8: N server processes on one PostgreSQL journal (a throwaway one from the machine's binaries, or
/// <c>--pg</c>). Round trip and webhook fan-in for sockets on node 1 whose sessions live on another node (A) vs on
/// node 1 itself (B); then failover rounds, for each <c>Cluster:StableAfter</c>: kill -9 of the node holding a
/// session to the first event on the user's socket again (<see cref="ClusterFailover"/>); last, idle users on one node
/// of a fresh cluster (<see cref="ClusterIdle"/>).
/// </summary>
public sealed class ClusterScenario : IScenario
{
    public const double TargetRatio = 0.7;
    public const double TargetFailoverSeconds = 15;

    public string Name => Cli.ScenarioNames.Cluster;

    public string Title => "Cluster: round trip and fan-in with the session on another node vs the same node; failover after kill -9";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var postgres = await BenchPostgres.StartAsync(context, "cluster");
        if (postgres.SkipReason is { } skip)
        {
            return ScenarioResult.Skipped(Name, Title, skip);
        }

        await using var fake = await context.StartFakeTwilioAsync("cluster-fake-twilio");
        var tables = new List<ResultTable>();
        var checks = new List<TargetCheck>();
        var failovers = new List<FailoverRound>();
        var stableAfters = context.Size.StableAfterSeconds;
        for (var k = 0; k < stableAfters.Length; k++)
        {
            var connection = await postgres.DatabaseAsync("bench_cluster");
            // Users of their own per cluster, so that a journal given with --pg may hold earlier runs.
            var prefix = string.Create(CultureInfo.InvariantCulture, $"cl{k}{Random.Shared.Next(100_000):D5}-");
            var settings = context.TwilioSettings(new Uri("http://127.0.0.1/"), fake);
            foreach (var (key, value) in ScenarioContext.OwnedNumbers(prefix, context.Size.ClusterUserPool))
            {
                settings[key] = value;
            }

            settings["Cluster__StableAfter"] = TimeSpan.FromSeconds(stableAfters[k]).ToString("c", CultureInfo.InvariantCulture);
            context.Log($"cluster: starting {context.Options.ClusterNodes} nodes, Cluster:StableAfter {stableAfters[k]} s");
            await using var cluster = await BenchCluster.StartAsync(
                context, $"cluster{k + 1}", connection, settings, context.Options.ClusterNodes);
            var pool = new UserPool(cluster, prefix, context.Size.ClusterUserPool);
            if (k == 0)
            {
                await ClusterTrafficRuns.MeasureAsync(context, cluster, pool, tables, checks);
            }

            for (var r = 0; r < context.Size.FailoverRounds; r++)
            {
                // Never node 0: it holds the socket and is the first seed. The others take turns.
                var wanted = 1 + (r % (cluster.Size - 1));
                var (user, number, host) = await pool.NextOnAsync(h => h == wanted) ?? await pool.NextOnAsync(h => h > 0)
                    ?? throw new InvalidOperationException($"no user of {prefix} has a session on a node other than node 1");
                var measured = await ClusterFailover.MeasureAsync(context, cluster, r + 1, stableAfters[k], user, number, host);
                context.Log(string.Create(
                    CultureInfo.InvariantCulture,
                    $"cluster: failover round {r + 1}, StableAfter {stableAfters[k]} s, killed {measured.KilledNode}: {measured.Seconds:0.0} s, " +
                    $"{measured.Probes} probes (not 200: {measured.Refused}), {measured.Reconnects} reconnects{(measured.DuplicateKeyErrors ? ", 23505 in a node log" : "")}"));
                failovers.Add(measured);
                if (r + 1 < context.Size.FailoverRounds)
                {
                    await cluster.RestartAsync(host);
                }
            }
        }

        // Issue 15's idle row "as a cluster node": a fresh cluster, so that no session of the runs above is in its memory.
        var idle = await ClusterIdle.MeasureAsync(context, await postgres.DatabaseAsync("bench_cluster_idle"), context.TwilioSettings(new Uri("http://127.0.0.1/"), fake));
        tables.Add(FailoverTables.Rounds(failovers));
        tables.Add(FailoverTables.Summary(failovers));
        foreach (var group in failovers.GroupBy(f => f.StableAfterSeconds))
        {
            var summary = FailoverSummary.Of([.. group.Select(f => f.Seconds)]);
            checks.Add(TargetCheck.AtMost(
                string.Create(CultureInfo.InvariantCulture, $"failover kill -9 → first event again, StableAfter {group.Key:0.#} s (median)"),
                summary.NotRecovered > 0 ? double.PositiveInfinity : summary.Median, TargetFailoverSeconds, "0.0", " s"));
        }

        tables.Add(ClusterIdle.Table(idle));
        checks.AddRange(ClusterIdle.Checks(idle));
        return new ScenarioResult(
            Name, Title,
            $"{context.Options.ClusterNodes} server processes on 127.0.0.1 (seeds: nodes 1 and 2), one PostgreSQL journal " +
            $"({(postgres.IsLocal ? "a throwaway server started from the machine's binaries" : "given with --pg")}), Twilio through the fake " +
            "(users own their numbers), round trip as in `round-trip` and fan-in as in `fan-in`, all sockets and webhooks " +
            "on node 1; a user's session is placed by sharding and found through the nodes' `messaging_sessions_alive`. " +
            $"Failover: {context.Size.FailoverRounds} round(s) per `Cluster:StableAfter` ({string.Join(", ", stableAfters.Select(s => s.ToString("0.#", CultureInfo.InvariantCulture) + " s"))}), " +
            "the killed node restarted between rounds; a probe webhook to node 1 every 250 ms. " +
            $"Idle as a cluster node (one round): a fresh cluster, {context.Size.IdleConnections.Min():N0} idle users all connected to node 1 " +
            "(sessions wherever sharding puts them), each welcomed; RSS per user = the growth of every node's VmRSS (after a forced full GC) " +
            "summed, over the users, and node 1's own growth beside it.",
            tables, checks,
            failovers.Any(f => f.DuplicateKeyErrors)
                ? ["a node log holds PostgreSQL error 23505 (duplicate journal sequence number) after a failover: the open kill -9 defect"]
                : []);
    }

    /// <summary>Users of one cluster, handed out in order, each with where its session lives when handed out.</summary>
    internal sealed class UserPool(BenchCluster cluster, string prefix, int size)
    {
        private int _next;

        /// <summary>The next user whose session is on a node <paramref name="wanted"/> accepts, its number and that node; null when the pool runs out.</summary>
        public async Task<(string User, int Number, int Host)?> NextOnAsync(Func<int, bool> wanted)
        {
            while (_next < size)
            {
                var number = _next++;
                var user = ScenarioContext.UserId(prefix, number);
                var host = await cluster.SessionHostAsync(user);
                if (host >= 0 && wanted(host))
                {
                    return (user, number, host);
                }
            }

            return null;
        }

        /// <summary>Probes users in order into two lists: sessions on another node than node 0, and on node 0.</summary>
        public async Task<(List<int> Remote, List<int> Local)> SplitAsync(int each)
        {
            var remote = new List<int>();
            var local = new List<int>();
            while (_next < size && (remote.Count < each || local.Count < each))
            {
                var number = _next++;
                var host = await cluster.SessionHostAsync(ScenarioContext.UserId(prefix, number));
                var list = host switch { 0 => local, > 0 => remote, _ => null };
                if (list is { Count: var count } && count < each)
                {
                    list.Add(number);
                }
            }

            return (remote, local);
        }

        public string UserOf(int number) => ScenarioContext.UserId(prefix, number);
    }
}
