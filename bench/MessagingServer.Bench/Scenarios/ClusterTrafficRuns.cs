using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// The cluster scenario's traffic: every socket and webhook on node 0; side A is users whose sessions sharding put on
/// another node, side B users whose sessions are on node 0 itself. The same round-trip and fan-in runs as the
/// single-node scenarios, alternating A and B, so the ratio is the cost of a session on another node.
/// </summary>
internal static class ClusterTrafficRuns
{
    private const string Remote = "session elsewhere";
    private const string Local = "session local";

    public static async Task MeasureAsync(
        ScenarioContext context, BenchCluster cluster, ClusterScenario.UserPool pool, List<ResultTable> tables, List<TargetCheck> checks)
    {
        var each = context.Size.ClusterConnections;
        var (remote, local) = await pool.SplitAsync(each);
        context.Log($"cluster: {remote.Count} users with sessions on other nodes, {local.Count} on node 1");
        if (remote.Count < each || local.Count < each)
        {
            throw new InvalidOperationException($"the user pool gave {remote.Count} remote and {local.Count} local sessions, {each} of each wanted");
        }

        var node = cluster[0];
        var (roundTrip, rounds) = await RoundTripScenario.CompareAsync(
            context, $"cluster round trip, {each} conns on node 1", each, node, node, Remote, Local,
            i => SocketRoundTrip.ConnectAsync(context.UserSocket(node, pool.UserOf(remote[i])), "outbound", ScenarioContext.ClientNumber(i), "c", context.Cancel),
            i => SocketRoundTrip.ConnectAsync(context.UserSocket(node, pool.UserOf(local[i])), "outbound", ScenarioContext.ClientNumber(i), "c", context.Cancel));
        tables.Add(roundTrip);
        checks.Add(TargetCheck.AtLeast(
            $"round trips/s, {each} conns, session on another node / same node", AbTable.ThroughputRatio(rounds), ClusterScenario.TargetRatio, "0.00", "×"));

        var routerA = new FanInRouter();
        var routerB = new FanInRouter();
        var welcomes = 0;
        void Welcomed(Frame frame)
        {
            if (frame.Type == "welcome")
            {
                Interlocked.Increment(ref welcomes);
            }
        }

        var socketsA = await Runners.ConnectManyAsync(context, Remote, each, 64, i => BenchSocket.ConnectAsync(
            context.UserSocket(node, pool.UserOf(remote[i])), (frame, at) => { Welcomed(frame); routerA.OnFrame(frame, at); }, context.Cancel));
        var socketsB = await Runners.ConnectManyAsync(context, Local, each, 64, i => BenchSocket.ConnectAsync(
            context.UserSocket(node, pool.UserOf(local[i])), (frame, at) => { Welcomed(frame); routerB.OnFrame(frame, at); }, context.Cancel));
        try
        {
            await BoundedLoop.WaitUntilAsync(() => Volatile.Read(ref welcomes) >= 2 * each, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50), context.Cancel);
            var webhook = node.Http("twilio/sms");
            var fanIn = await FanInScenario.CompareAsync(
                context, "cluster fan-in", each, node, node, Remote, Local, routerA, routerB, webhook, webhook, remote, local);
            tables.Add(AbTable.Build($"cluster fan-in, {each} + {each} users on node 1: {Remote} (A) vs {Local} (B)", fanIn, Remote, Local, "msgs", FanInRunner.ExtraColumns));
            checks.Add(TargetCheck.AtLeast(
                $"inbound messages/s, {each} users, session on another node / same node", AbTable.ThroughputRatio(fanIn), ClusterScenario.TargetRatio, "0.00", "×"));
            checks.Add(TargetCheck.Exactly("cluster fan-in messages lost (all rounds, both sides)", fanIn.Sum(r => r.A.Lost + r.B.Lost), 0));
        }
        finally
        {
            await Runners.DisposeAllAsync(socketsA);
            await Runners.DisposeAllAsync(socketsB);
        }
    }
}
