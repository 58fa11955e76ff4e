using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Scenarios;

/// <summary>One failover round: kill -9 of the node holding a user's session to the first event on the user's socket again.</summary>
/// <param name="Refused">Probe webhooks not answered 200, by HTTP status (0: no answer), e.g. "503 ×40, 0 ×3".</param>
/// <param name="DuplicateKeyErrors">A node's log holds PostgreSQL's unique violation (a journal sequence number written twice).</param>
public sealed record FailoverRound(
    int Round, double StableAfterSeconds, string KilledNode, string User, double Seconds, int Probes, string Refused, int Reconnects, bool DuplicateKeyErrors);

/// <summary>Min, median and max of the rounds that recovered (NaN when none did), and how many did not.</summary>
public sealed record FailoverSummary(int Rounds, int NotRecovered, double Min, double Median, double Max)
{
    public static FailoverSummary Of(IReadOnlyCollection<double> seconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var recovered = seconds.Where(s => !double.IsNaN(s)).Order().ToList();
        return recovered.Count == 0
            ? new FailoverSummary(seconds.Count, seconds.Count, double.NaN, double.NaN, double.NaN)
            : new FailoverSummary(seconds.Count, seconds.Count - recovered.Count, recovered[0], Stats.Median.Of(recovered), recovered[^1]);
    }
}

/// <summary>
/// Measures failover: a user's socket on node 0 gets a webhook (so its hub follows the session), the node holding the
/// session is killed with kill -9, and signed inbound webhooks for the user are posted to node 0 every 250 ms until the
/// first of them arrives on the socket (reconnected, with a replay, if the server closed it). The time is from the
/// kill to that frame; it covers detection, <c>Cluster:StableAfter</c>, shard reallocation and the session's recovery.
/// </summary>
public static class ClusterFailover
{
    public static readonly TimeSpan MaxFailover = TimeSpan.FromSeconds(120);

    /// <summary>How Npgsql words PostgreSQL's unique violation (SQLSTATE 23505) in an exception message.</summary>
    public const string DuplicateKeyMessage = "23505: duplicate key value violates unique constraint";
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(250);
    private static int _rounds;

    public static async Task<FailoverRound> MeasureAsync(
        ScenarioContext context, BenchCluster cluster, int round, double stableAfter, string userId, int number, int host)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cluster);
        var run = Interlocked.Increment(ref _rounds);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"failover {run}:");
        var warm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFrame(Frame frame, long at)
        {
            if (frame.Type != "message" || frame.Body is not { } body || !body.StartsWith(prefix, StringComparison.Ordinal))
            {
                return;
            }

            if (body == prefix + "warm")
            {
                warm.TrySetResult();
            }
            else
            {
                arrived.TrySetResult(at);
            }
        }

        var webhook = new SignedWebhook(context.Http, context.TwilioAccountSid, context.TwilioAuthToken);
        var url = cluster[0].Http("twilio/sms");
        var from = ScenarioContext.ClientNumber(run);
        var to = ScenarioContext.NumberOf(number);
        var socket = await BenchSocket.ConnectAsync(context.UserSocket(cluster[0], userId), OnFrame, context.Cancel);
        var reconnects = 0;
        try
        {
            var status = await webhook.PostInboundAsync(url, SignedWebhook.MessageSid(run, 0), from, to, prefix + "warm", context.Cancel);
            if (status != 200)
            {
                throw new InvalidOperationException($"failover round {round}: the first webhook for {userId} got {status}");
            }

            await warm.Task.WaitAsync(TimeSpan.FromSeconds(30), context.Cancel);
            await cluster.KillAsync(host);
            var killed = Stopwatch.GetTimestamp();
            var statuses = new ConcurrentDictionary<int, int>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancel);
            var probes = ProbeAsync(webhook, url, run, from, to, prefix, statuses, stop.Token);
            while (!arrived.Task.IsCompleted && Stopwatch.GetElapsedTime(killed) < MaxFailover)
            {
                await Task.WhenAny(arrived.Task, Task.Delay(100, context.Cancel));
                if (!arrived.Task.IsCompleted && !socket.IsOpen)
                {
                    // The server gave up following the session (1012) or the socket broke: reconnect and resume, as a client does.
                    await socket.DisposeAsync();
                    socket = await BenchSocket.ConnectAsync(context.UserSocket(cluster[0], userId), OnFrame, context.Cancel);
                    reconnects++;
                }
            }

            await stop.CancelAsync();
            var sent = await probes;
            var seconds = arrived.Task.IsCompletedSuccessfully ? LatencyLog.Milliseconds(killed, await arrived.Task) / 1000 : double.NaN;
            var duplicateKeys = cluster.Running.Any(n => File.Exists(n.LogPath) && File.ReadAllText(n.LogPath).Contains(DuplicateKeyMessage, StringComparison.Ordinal));
            return new FailoverRound(
                round, stableAfter, cluster.NodeName(host), userId, seconds, sent, Describe(statuses), reconnects, duplicateKeys);
        }
        finally
        {
            await socket.DisposeAsync();
        }
    }

    /// <summary>"503 ×40, 0 ×3" (most frequent first), or "none".</summary>
    public static string Describe(IReadOnlyDictionary<int, int> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return statuses.Count == 0
            ? "none"
            : string.Join(", ", statuses.OrderByDescending(s => s.Value).ThenBy(s => s.Key)
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} ×{s.Value}")));
    }

    /// <summary>Posts one signed webhook every <see cref="ProbeEvery"/> (each its own MessageSid) until stopped; returns how many.</summary>
    private static async Task<int> ProbeAsync(
        SignedWebhook webhook, Uri url, int run, string from, string to, string prefix, ConcurrentDictionary<int, int> refused, CancellationToken stop)
    {
        var posts = new List<Task>();
        try
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                var index = i;
                posts.Add(Task.Run(
                    async () =>
                    {
                        var status = await webhook.PostInboundAsync(
                            url, SignedWebhook.MessageSid(run, index), from, to, prefix + index.ToString(CultureInfo.InvariantCulture), stop);
                        if (status != 200)
                        {
                            refused.AddOrUpdate(status, 1, (_, n) => n + 1);
                        }
                    },
                    CancellationToken.None));
                await Task.Delay(ProbeEvery, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the first probe arrived, or the round gave up.
        }

        try
        {
            await Task.WhenAll(posts);
        }
        catch (OperationCanceledException)
        {
            // Probes still waiting for an answer when the round ended.
        }

        return posts.Count;
    }
}
