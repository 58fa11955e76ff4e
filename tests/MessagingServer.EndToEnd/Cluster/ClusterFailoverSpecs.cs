using MessagingServer.TestSupport.Twilio;
using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// Three server processes on one PostgreSQL journal, under traffic, while a node is killed (kill -9), or leaves
/// (SIGTERM) and joins again. Each test starts with all three nodes Up (a test that kills or stops one leaves it to
/// the next test's start to bring it back).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailoverSpecs(ClusterNodes cluster, ITestOutputHelper output) : IClassFixture<ClusterNodes>, IAsyncLifetime
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => cluster.EnsureAllUpAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public Task Kill_9_of_a_node_under_sends_and_webhooks_loses_nothing_acknowledged_and_sends_no_sms_twice() => WithLogsOnFailureAsync(async () =>
    {
        var users = ClusterNodes.Users.Skip(10).Take(9).ToList();
        var (a, b, victim) = (cluster[0], cluster[1], cluster[2]);
        var run = new FailoverRun(cluster, users, "k", output);
        // Every user has a socket on a survivor (A or B); three also have one on the node that is killed.
        var survivors = new List<FollowingSocket>();
        var onVictim = new List<FollowingSocket>();
        try
        {
            for (var i = 0; i < users.Count; i++)
            {
                survivors.Add(await FollowingSocket.ConnectAsync(cluster, users[i], i % 2 == 0 ? a : b));
                if (i % 3 == 0)
                {
                    onVictim.Add(await FollowingSocket.ConnectAsync(cluster, users[i], victim));
                }
            }

            run.Start();
            await Eventually.TrueAsync(() => run.Acked >= 60, Delivery, "traffic did not start flowing");
            victim.Process.KillHard();
            await victim.Process.WaitForExitAsync(TimeSpan.FromSeconds(20));
            var (atKill, killedAt) = (run.Acked, DateTime.UtcNow);

            // The survivors down the dead node (split-brain resolver), its shards start again on them, traffic resumes.
            await cluster.WaitForMembersAsync(2);
            output.WriteLine($"{atKill} acknowledged at the kill; the survivors were 2 members after {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s");
            // Every user's traffic resumes, those whose sessions were on the dead node included: two more rounds each.
            await run.WaitForEveryUserAsync(4, Delivery, "after the kill");
            await run.StopAsync();

            var stalled = await run.AssertNothingLostAsync([.. survivors, .. onVictim]);
            // The sockets of the dead node resumed on a survivor; a socket on a survivor stays open and keeps
            // streaming when the session it follows dies with its node (the node-local UserHub subscribes again).
            Assert.All(onVictim, s => Assert.NotEqual(victim, s.ConnectedTo));
            Assert.Empty(stalled);
            Assert.All(survivors, s => Assert.Empty(s.Closes));
            Assert.All(survivors, s => Assert.Equal(1, s.Connects));
        }
        finally
        {
            foreach (var socket in survivors.Concat(onVictim))
            {
                await socket.DisposeAsync();
            }
        }
    });

    [Fact]
    public Task A_rolling_restart_of_every_node_under_sends_and_webhooks_loses_nothing_and_each_node_exits_0() => WithLogsOnFailureAsync(async () =>
    {
        var users = ClusterNodes.Users.Skip(30).Take(9).ToList();
        var run = new FailoverRun(cluster, users, "r", output);
        var sockets = new List<FollowingSocket>();
        try
        {
            for (var i = 0; i < users.Count; i++)
            {
                sockets.Add(await FollowingSocket.ConnectAsync(cluster, users[i], cluster[i % cluster.Size]));
            }

            run.Start();
            await Eventually.TrueAsync(() => run.Acked >= 40, Delivery, "traffic did not start flowing");
            foreach (var node in cluster.Nodes)
            {
                // SIGTERM: the node leaves (hands off its shards, closes its sockets with 1001) and exits 0 within 20 s
                // (a generous bound, not a speed test); then it starts again at the same address and joins.
                Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(20)));
                await cluster.WaitForMembersAsync(cluster.Size - 1);
                await node.StartAsync();
                await cluster.WaitForMembersAsync(cluster.Size);
                await run.WaitForEveryUserAsync(2, Delivery, $"after node {node.Name} restarted");
            }

            await run.StopAsync();
            var stalled = await run.AssertNothingLostAsync(sockets);
            Assert.Empty(stalled);
            // A socket closes only when its own node shuts down (1001), and then resumes on another node.
            Assert.All(sockets, s => Assert.All(s.Closes, close => Assert.Contains("1001", close, StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    });

    [Fact]
    public Task A_node_that_joins_a_running_two_node_cluster_takes_shards_without_closing_a_socket() => WithLogsOnFailureAsync(async () =>
    {
        var users = ClusterNodes.Users.Skip(20).Take(10).ToList();
        var (a, b, joiner) = (cluster[0], cluster[1], cluster[2]);

        // C leaves gracefully (SIGTERM: hand-off, exit 0); A and B are a running two-node cluster.
        Assert.Equal(0, await joiner.TerminateAsync(TimeSpan.FromSeconds(30)));
        await cluster.WaitForMembersAsync(2);

        var sockets = new List<FollowingSocket>();
        try
        {
            for (var i = 0; i < users.Count; i++)
            {
                sockets.Add(await FollowingSocket.ConnectAsync(cluster, users[i], i % 2 == 0 ? a : b));
            }

            var traffic = new ClusterTraffic(cluster);
            var round = 0;
            async Task RoundAsync()
            {
                var r = round++;
                await Task.WhenAll(users.Select(async (user, u) =>
                {
                    Assert.True(await traffic.PostInboundAsync(user, cluster[u % 2], $"{user} join {r}", $"SM{user.Replace("-", "", StringComparison.Ordinal)}j{r}"));
                    Assert.True(await traffic.SendAsync(user, cluster[(u + 1) % 2], $"{user} join send {r}", $"{user}-j{r}"));
                }));
            }

            await RoundAsync();
            var shardsBefore = await joiner.MetricOrZeroAsync("messaging_cluster_shards");

            // C starts again at the same address: a new member, which the coordinator gives shards by rebalancing.
            await joiner.StartAsync();
            await cluster.WaitForMembersAsync(3);
            // Until one of these users' sessions, with its sockets open on A and B, lives on C: C then sends its SMS.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (await joiner.MetricOrZeroAsync("messaging_sms_sent_total") == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "no session of the test moved to the new node within 120 s");
                await RoundAsync();
            }

            // A few more rounds after the hand-over, then every socket has every event, from one connection.
            for (var i = 0; i < 3; i++)
            {
                await RoundAsync();
            }

            output.WriteLine($"C hosts {await joiner.MetricOrZeroAsync("messaging_cluster_shards")} shards (had {shardsBefore} before joining) and sent {await joiner.MetricOrZeroAsync("messaging_sms_sent_total")} SMS after {round} rounds");
            foreach (var socket in sockets)
            {
                var history = await ClusterTraffic.HistoryEventuallyAsync(a, socket.User);
                Assert.Equal(round, history.Count(e => (string?)e["type"] == "message"));
                Assert.Equal(round, history.Count(e => (string?)e["type"] == "outbound"));
                await socket.WaitForSeqAsync(history.Count, Delivery);
                Assert.Empty(socket.Anomalies);
                Assert.Equal(history.Select(e => (long)e["seq"]!), socket.Events.Select(e => (long)e["seq"]!));
                output.WriteLine($"{socket.User} on {socket.Node.Name}: {socket.Connects} connects; closes [{string.Join(", ", socket.Closes)}]");
            }

            // No socket closed while its session moved to C: each saw everything on its first connection.
            Assert.All(sockets, s => Assert.Empty(s.Closes));
            Assert.All(sockets, s => Assert.Equal(1, s.Connects));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    });

    private Task WithLogsOnFailureAsync(Func<Task> test) => cluster.WithLogsOnFailureAsync(output, test);
}
