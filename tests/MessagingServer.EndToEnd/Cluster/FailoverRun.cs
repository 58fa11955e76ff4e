using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// Traffic for a few users while a test disrupts the cluster (kill -9, rolling restart), and what must hold after
/// it: each user sends (with a clientRef) and gets a webhook every 100 ms, each request starting on another node
/// and retried on the next running one; afterwards every acknowledged send and webhook is in the history once, the
/// history has no gap, every socket saw all of it once and in order, and the fake Twilio saw no SMS twice.
/// </summary>
public sealed class FailoverRun(ClusterNodes cluster, IReadOnlyList<string> users, string tag, ITestOutputHelper output)
{
    /// <summary>How long a socket may lag behind the stored history, once traffic has stopped, before it counts as stalled (the history is read first).</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stop = new();
    private List<Task> _flows = [];
    private int _unacknowledged;

    public ClusterTraffic Traffic { get; } = new(cluster);

    public int Acked => Traffic.AckedSends.Count + Traffic.AckedInbound.Values.Sum(q => q.Count);

    public int AckedBy(string user) =>
        Traffic.AckedSends.Keys.Count(k => k.StartsWith(user + "-", StringComparison.Ordinal)) + (Traffic.AckedInbound.GetValueOrDefault(user)?.Count ?? 0);

    public void Start() => _flows = [.. users.Select((user, u) => Task.Run(async () =>
    {
        for (var i = 0; i < 2000 && !_stop.IsCancellationRequested; i++)
        {
            // Paced like a busy app rather than flat out: two cores run three servers and PostgreSQL too.
            await Task.Delay(100, CancellationToken.None);
            // Each request starts on a different node, as a load balancer would spread them.
            var sent = Traffic.SendAsync(user, cluster[(u + i) % cluster.Size], $"{user} {tag} send {i}", $"{user}-{tag}{i}");
            var posted = Traffic.PostInboundAsync(user, cluster[(u + i + 1) % cluster.Size], $"{user} {tag} in {i}", $"SM{user.Replace("-", "", StringComparison.Ordinal)}{tag}{i}");
            if (!await sent)
            {
                Interlocked.Increment(ref _unacknowledged);
            }

            if (!await posted)
            {
                Interlocked.Increment(ref _unacknowledged);
            }
        }
    }))];

    /// <summary>Waits until every user has <paramref name="more"/> more acknowledged requests than now: traffic flows for all.</summary>
    public async Task WaitForEveryUserAsync(int more, TimeSpan timeout, string when)
    {
        var before = users.ToDictionary(u => u, AckedBy);
        try
        {
            await Eventually.TrueAsync(
                () => users.All(u => AckedBy(u) >= before[u] + more),
                timeout,
                $"traffic did not flow for every user {when}: {string.Join(", ", users.Select(u => $"{u} {before[u]}->{AckedBy(u)}"))}");
        }
        catch
        {
            foreach (var failure in Traffic.Failures.TakeLast(60))
            {
                output.WriteLine(failure);
            }

            throw;
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_flows);
        output.WriteLine($"{Traffic.AckedSends.Count} sends and {Traffic.AckedInbound.Values.Sum(q => q.Count)} webhooks acknowledged, {Traffic.Retries} retries, {_unacknowledged} never acknowledged");
    }

    /// <summary>The assertions of the class summary; returns the sockets that stalled (for the caller to judge), each described.</summary>
    public async Task<List<string>> AssertNothingLostAsync(IReadOnlyList<FollowingSocket> sockets)
    {
        var stalled = new List<string>();
        foreach (var user in users)
        {
            var history = await ClusterTraffic.HistoryEventuallyAsync(cluster.Running.First(), user);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => (long)e["seq"]!));
            Assert.Equal(history.Count, history.Select(e => $"{e["type"]}|{e["id"]}|{e["status"]}").Distinct().Count());

            // Every acknowledged send is one outbound event, with the id it was acknowledged with; no clientRef twice.
            var outbound = history.Where(e => (string?)e["type"] == "outbound").ToList();
            Assert.Equal(outbound.Count, outbound.Select(e => (string?)e["clientRef"]).Distinct().Count());
            foreach (var (clientRef, id) in Traffic.AckedSends.Where(s => s.Key.StartsWith(user + "-", StringComparison.Ordinal)))
            {
                var stored = outbound.Where(e => (string?)e["clientRef"] == clientRef).Select(e => $"seq {e["seq"]} id {e["id"]}").ToList();
                Assert.True(
                    outbound.Count(e => (string?)e["clientRef"] == clientRef && (string?)e["id"] == id) == 1,
                    $"send {clientRef} was acknowledged (202, id {id}) but the history of {user} ({history.Count} events) holds [{string.Join(", ", stored)}]");
            }

            // Every webhook answered 200 is one inbound event.
            var inbound = history.Where(e => (string?)e["type"] == "message").Select(e => (string?)e["body"]).ToList();
            Assert.Equal(inbound.Count, inbound.Distinct().Count());
            foreach (var body in Traffic.AckedInbound.GetValueOrDefault(user) ?? [])
            {
                Assert.True(inbound.Contains(body), $"webhook '{body}' was answered 200 but is not in the history of {user} ({history.Count} events)");
            }

            // Every socket, wherever it is connected now, saw the whole history once, in order.
            output.WriteLine($"{user}: {history.Count} events, {outbound.Count} outbound, {inbound.Count} inbound");
            foreach (var socket in sockets.Where(s => s.User == user))
            {
                if (!await socket.ReachesSeqAsync(history.Count, Stall))
                {
                    stalled.Add($"{socket.User} on {socket.ConnectedTo?.Name} (opened on {socket.Node.Name}) stopped at seq {socket.LastSeq} of {history.Count}; closes [{string.Join(", ", socket.Closes)}]");
                    continue;
                }

                Assert.Empty(socket.Anomalies);
                Assert.Equal(history.Select(e => (long)e["seq"]!), socket.Events.Select(e => (long)e["seq"]!));
            }
        }

        // No SMS went to Twilio twice: the fake saw each body at most once.
        var twice = cluster.Twilio.Requests
            .Select(r => r.Form.GetValueOrDefault("Body") ?? "")
            .Where(body => users.Any(u => body.StartsWith($"{u} {tag} ", StringComparison.Ordinal)))
            .GroupBy(body => body)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} x{g.Count()}")
            .ToList();
        Assert.Empty(twice);

        foreach (var socket in sockets)
        {
            output.WriteLine($"{socket.User} on {socket.Node.Name}: {socket.Connects} connects; closes [{string.Join(", ", socket.Closes)}]");
        }

        foreach (var line in stalled)
        {
            output.WriteLine($"stalled: {line}");
        }

        return stalled;
    }
}
