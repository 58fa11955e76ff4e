using MessagingServer.TestSupport.Twilio;
using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// Three server processes on one PostgreSQL journal, a fresh cluster that no node has left: sockets on one node,
/// webhooks on another, sessions wherever sharding put them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTrafficSpecs(ClusterNodes cluster, ITestOutputHelper output) : IClassFixture<ClusterNodes>, IAsyncLifetime
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => cluster.EnsureAllUpAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public Task Sockets_on_A_get_webhooks_posted_to_C_and_their_own_sends_in_order_and_once_from_sessions_on_other_nodes() => WithLogsOnFailureAsync(async () =>
    {
        const int each = 5;
        var users = ClusterNodes.Users.Take(8).ToList();
        var (a, b, c) = (cluster[0], cluster[1], cluster[2]);
        var traffic = new ClusterTraffic(cluster);
        var sentBefore = await SmsSentPerNodeAsync();
        var sockets = await Task.WhenAll(users.Select(u => FollowingSocket.ConnectAsync(cluster, u, a)));
        try
        {
            await Task.WhenAll(users.Zip(sockets).Select(async pair =>
            {
                var (user, socket) = pair;
                var inbound = Task.Run(async () =>
                {
                    for (var i = 0; i < each; i++)
                    {
                        // Twilio's retries are not expected here: nothing fails, so the first answer must be 200.
                        using var response = await cluster.Twilio.PostInboundSmsAsync(
                            new Uri(c.BaseAddress, "/twilio/sms"), ClusterTraffic.ClientOf(user), ClusterNodes.NumberOf(user), $"{user} in {i}");
                        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                    }
                });
                for (var i = 0; i < each; i++)
                {
                    await socket.SendAsync(new { type = "send", to = ClusterTraffic.ClientOf(user), body = $"{user} out {i}", clientRef = $"{user}-out-{i}" });
                }

                await inbound;
            }));

            foreach (var socket in sockets)
            {
                await Eventually.TrueAsync(
                    () => socket.Events.Count(e => (string?)e["type"] is "message") == each && socket.Events.Count(e => (string?)e["type"] is "outbound") == each,
                    Delivery,
                    $"{socket.User} on A did not get {each} inbound and {each} outbound events: {socket.Events.Count} events, closes [{string.Join(", ", socket.Closes)}]");
                var history = await ClusterTraffic.HistoryAsync(b, socket.User);
                await socket.WaitForSeqAsync((long)history[^1]["seq"]!, Delivery);

                Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => (long)e["seq"]!));
                Assert.Equal(history.Select(e => (long)e["seq"]!), socket.Events.Select(e => (long)e["seq"]!));
                Assert.Empty(socket.Anomalies);
                Assert.Empty(socket.Closes);
                Assert.Equal(1, socket.Connects);
                Assert.Equal(
                    Enumerable.Range(0, each).Select(i => $"{socket.User} in {i}"),
                    socket.Events.Where(e => (string?)e["type"] == "message").Select(e => (string?)e["body"]));
                Assert.Equal(
                    Enumerable.Range(0, each).Select(i => $"{socket.User}-out-{i}"),
                    socket.Events.Where(e => (string?)e["type"] == "outbound").Select(e => (string?)e["clientRef"]));
            }

            // Each send reached Twilio once, from whichever node hosts its session.
            var bodies = cluster.Twilio.Requests.Select(r => r.Form.GetValueOrDefault("Body")).ToList();
            foreach (var user in users)
            {
                for (var i = 0; i < each; i++)
                {
                    Assert.Single(bodies, body => body == $"{user} out {i}");
                }
            }

            // Sends go to Twilio from the session's node: some of these sessions live on B or C, not beside their sockets on A.
            var sentAfter = await SmsSentPerNodeAsync();
            var delta = sentAfter.Zip(sentBefore, (after, before) => after - before).ToList();
            output.WriteLine($"SMS sent per node during the test: A {delta[0]}, B {delta[1]}, C {delta[2]}");
            Assert.Equal(users.Count * each, delta.Sum());
            Assert.True(delta[1] + delta[2] > 0, "every session of the test landed on A, beside its socket: nothing crossed nodes");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    });

    private async Task<List<double>> SmsSentPerNodeAsync() =>
        [.. await Task.WhenAll(cluster.Nodes.Select(n => n.MetricAsync("messaging_sms_sent_total")))];

    private Task WithLogsOnFailureAsync(Func<Task> test) => cluster.WithLogsOnFailureAsync(output, test);
}
