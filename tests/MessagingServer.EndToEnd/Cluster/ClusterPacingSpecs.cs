using System.Diagnostics;
using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// Two server processes sending for the same Twilio number at once, from sessions on both nodes: together they stay
/// within <c>Twilio:MessagesPerSecond</c> at the fake Twilio, because one sender entity cluster-wide paces the number.
/// Only lower bounds on time are asserted (a slow machine only spreads the calls further apart).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterPacingSpecs(PacedClusterNodes cluster, ITestOutputHelper output) : IClassFixture<PacedClusterNodes>
{
    private const int Rate = PacedClusterNodes.MessagesPerSecond;

    /// <summary>How much earlier than its pace a call may reach the fake: the session's "call started" write and the HTTP call vary per send.</summary>
    private static readonly TimeSpan Jitter = TimeSpan.FromMilliseconds(200);

    [Fact]
    public Task Two_nodes_sending_for_one_number_at_once_stay_within_its_messages_per_second_at_Twilio() => cluster.WithLogsOnFailureAsync(output, async () =>
    {
        const int each = 5;
        var users = ClusterNodes.Users.Take(8).ToList();
        var traffic = new ClusterTraffic(cluster);
        var before = cluster.Twilio.Requests.Count;

        // Every user's sends posted at once, half of them through each node; the sessions are wherever sharding put them.
        var accepted = await Task.WhenAll(users.SelectMany((user, u) => Enumerable.Range(0, each).Select(i =>
            traffic.SendAsync(user, cluster[(u + i) % cluster.Size], $"{user} paced {i}", $"{user}-paced-{i}"))));
        Assert.All(accepted, Assert.True);
        var sessions = await Task.WhenAll(cluster.Nodes.Select(n => n.MetricAsync("messaging_sessions_alive")));
        output.WriteLine($"sessions alive per node: {string.Join(", ", sessions)}");
        Assert.All(sessions, count => Assert.True(count > 0, "every session landed on one node: only one node was sending"));

        var total = users.Count * each;
        await Eventually.TrueAsync(
            () => cluster.Twilio.Requests.Count - before >= total,
            TimeSpan.FromSeconds(60),
            $"the fake Twilio did not receive {total} messages");
        var received = cluster.Twilio.Requests.Skip(before).ToList();
        foreach (var user in users)
        {
            for (var i = 0; i < each; i++)
            {
                Assert.Single(received, r => r.Form.GetValueOrDefault("Body") == $"{user} paced {i}");
            }
        }

        Assert.Single(received.Select(r => r.Form.GetValueOrDefault("From")).Distinct());

        var at = received.Select(r => Stopwatch.GetElapsedTime(received[0].Timestamp, r.Timestamp)).Order().ToList();
        output.WriteLine($"{at.Count} messages over {at[^1].TotalSeconds:0.00} s at the fake Twilio (pace {Rate}/s)");

        // In any window shorter than a second (less the jitter) at most Rate + 1 calls: the (Rate + 1)-th after any call is a second later.
        for (var i = 0; i + Rate + 1 < at.Count; i++)
        {
            var window = at[i + Rate + 1] - at[i];
            Assert.True(window >= TimeSpan.FromSeconds(1) - Jitter, $"{Rate + 2} calls (from call {i}) reached Twilio within {window.TotalMilliseconds:0} ms: over {Rate}/s");
        }

        // And all of them: K calls at Rate per second span at least (K - 1) / Rate seconds.
        var least = TimeSpan.FromSeconds((at.Count - 1) / (double)Rate) - Jitter;
        Assert.True(at[^1] >= least, $"{at.Count} calls reached Twilio within {at[^1].TotalSeconds:0.00} s, less than the {least.TotalSeconds:0.00} s their pace allows");
    });
}
