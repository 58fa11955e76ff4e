using System.Globalization;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Idle users as a cluster node (issue 15's "single node, and as a cluster node"): a fresh cluster on PostgreSQL,
/// every user's socket on node 1, its session wherever sharding puts it. Memory per user is the growth of every node's
/// VmRSS (each read after a forced full GC) summed, over the users; node 1's own growth is shown beside it.
/// One round: a cluster takes long to start, and the single-node figure has its rounds in <c>idle</c>.
/// </summary>
public static class ClusterIdle
{
    public const double TargetKibPerUser = IdleScenario.TargetKibPerConnection;

    public sealed record Result(int Users, int Held, int Welcomed, double ConnectSeconds, long[] RssBeforeKib, long[] RssAfterKib)
    {
        public double SummedKibPerUser => RssAfterKib.Zip(RssBeforeKib, (a, b) => (double)(a - b)).Sum() / Math.Max(1, Users);

        public double NodeKibPerUser(int node) => (RssAfterKib[node] - RssBeforeKib[node]) / (double)Math.Max(1, Users);
    }

    public static async Task<Result> MeasureAsync(ScenarioContext context, string connection, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        var users = context.Size.IdleConnections.Min();
        context.Log($"cluster idle: starting {context.Options.ClusterNodes} fresh nodes for {users:N0} idle users on node 1");
        await using var cluster = await BenchCluster.StartAsync(context, "cluster-idle", connection, settings, context.Options.ClusterNodes);
        var nodes = Enumerable.Range(0, cluster.Size).Select(i => cluster[i]).ToList();
        // Users of their own, so that a journal given with --pg may hold earlier runs.
        var prefix = string.Create(CultureInfo.InvariantCulture, $"ci{Random.Shared.Next(100_000):D5}-");
        var warm = await IdleScenario.ConnectAsync(context, Side.A, nodes[0], prefix + "warm", Math.Min(50, users), 0);
        await IdleScenario.CloseAllAsync(warm.Sockets);
        await Task.Delay(context.Size.SettleTime, context.Cancel);
        var before = await Task.WhenAll(nodes.Select(n => n.SampleAsync(collect: true)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (sockets, welcomed, failed) = await IdleScenario.ConnectAsync(context, Side.A, nodes[0], prefix, users, 0);
        var connectSeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(context.Size.SettleTime, context.Cancel);
        var after = await Task.WhenAll(nodes.Select(n => n.SampleAsync(collect: true)));
        var held = sockets.Count(s => s is not null && s.IsOpen);
        if (failed > 0)
        {
            context.Log($"  cluster idle: {failed} connections failed");
        }

        await IdleScenario.CloseAllAsync(sockets);
        var result = new Result(users, held, welcomed, connectSeconds, [.. before.Select(s => s.RssKib)], [.. after.Select(s => s.RssKib)]);
        context.Log(string.Create(
            CultureInfo.InvariantCulture,
            $"cluster idle: {held:N0}/{users:N0} held, {Fmt.Num(result.SummedKibPerUser, "0.0")} KiB RSS/user over all nodes, " +
            $"{Fmt.Num(result.NodeKibPerUser(0), "0.0")} KiB on node 1, connected in {connectSeconds:0.0} s"));
        return result;
    }

    public static ResultTable Table(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<IReadOnlyList<string>>();
        for (var i = 0; i < result.RssBeforeKib.Length; i++)
        {
            rows.Add(
            [
                string.Create(CultureInfo.InvariantCulture, $"node {i + 1}{(i == 0 ? " (sockets)" : "")}"),
                Fmt.Num(result.RssBeforeKib[i] / 1024.0, "0.0"), Fmt.Num(result.RssAfterKib[i] / 1024.0, "0.0"), Fmt.Num(result.NodeKibPerUser(i), "0.0"),
            ]);
        }

        rows.Add(["all nodes", Fmt.Num(result.RssBeforeKib.Sum() / 1024.0, "0.0"), Fmt.Num(result.RssAfterKib.Sum() / 1024.0, "0.0"), Fmt.Num(result.SummedKibPerUser, "0.0")]);
        return new ResultTable(
            $"{result.Users:N0} idle users as a cluster node: {result.Held:N0} held, {result.Welcomed:N0} welcomed, connected in {result.ConnectSeconds:0.0} s (one round)",
            ["node", "RSS before MiB", "RSS after MiB", "KiB RSS/user"],
            rows);
    }

    public static IEnumerable<TargetCheck> Checks(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        yield return TargetCheck.AtMost($"RSS per idle connected user as a cluster node, {result.Users:N0} users, summed over the nodes", result.SummedKibPerUser, TargetKibPerUser, "0.0", " KiB");
        yield return TargetCheck.AtMost($"RSS per idle connected user as a cluster node, {result.Users:N0} users, the sockets' node alone", result.NodeKibPerUser(0), TargetKibPerUser, "0.0", " KiB");
        yield return TargetCheck.Exactly($"idle users held by the cluster node, {result.Users:N0} users", result.Held, result.Users);
    }
}
