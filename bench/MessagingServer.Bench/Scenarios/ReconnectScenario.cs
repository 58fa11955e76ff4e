using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;
using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Scenario 5: every user reconnects at the same moment, each with the same number of missed events to be
/// replayed (<c>?since=</c> the seq before them). Each replay is checked: every missed event once, in order,
/// none twice. Against bare Kestrel sockets that send a welcome and the same number of events from memory.
/// </summary>
public sealed class ReconnectScenario : IScenario
{
    public const double TargetRatio = 0.5;
    public const double TargetColdUsersPerSecond = 1000;

    public string Name => Cli.ScenarioNames.Reconnect;

    public string Title => "Reconnect storm: all users reconnect at once, each replaying its missed events, vs bare connects";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var users = context.Size.ReconnectUsers;
        var missed = context.Size.MissedEvents;
        await using var server = await context.StartServerAsync("reconnect-server");
        await using var baseline = await context.StartBaselineAsync("reconnect-baseline");
        var storage = await ServerProbe.StorageAsync(context, server);

        context.Log($"reconnect: giving {users} users at least {missed} events each (REST sends, loopback statuses)");
        var lastSeqs = await PrepareAsync(context, server, users, missed);
        var short_ = lastSeqs.Count(s => s < missed);
        if (short_ > 0)
        {
            return ScenarioResult.Failed(Name, Title, $"{short_} users have fewer than {missed} events after preparing; cannot replay {missed}");
        }

        var warmA = await StormAsync(context, Side.A, -1, server, baseline, lastSeqs, missed);
        var warmB = await StormAsync(context, Side.B, -1, server, baseline, lastSeqs, missed);
        context.Log($"reconnect: warm-up server {warmA.Operations}/{users} replayed, bare {warmB.Operations}/{users}");
        var rounds = await AbSchedule.AlternateAsync(
            context.Options.Rounds,
            r => StormAsync(context, Side.A, r, server, baseline, lastSeqs, missed),
            r => StormAsync(context, Side.B, r, server, baseline, lastSeqs, missed),
            (r, side, result) =>
            {
                RoundTripScenario.LogRun(context, "reconnect", r, side == Side.A ? "server" : "bare", result);
                context.Log($"  {result.Operations}/{users} fully replayed, {result.Lost} events missing, {result.Duplicates} duplicated, {result.Errors} connects failed");
            },
            context.Cancel);
        var runsA = rounds.Select(r => r.A).ToList();

        // After a restart nothing is in memory: every session is recovered from the journal while the others are.
        context.Log("reconnect: restarting the server on the same storage for a cold storm");
        await server.DisposeAsync();
        await using var restarted = await context.StartServerAsync("reconnect-server");
        var cold = await StormAsync(context, Side.A, 0, restarted, baseline, lastSeqs, missed);
        context.Log(ColdLine(cold, users));
        return new ScenarioResult(
            Name, Title,
            $"server: {storage}; {users} users, each with {missed} events after the `since` it reconnects with; all connects start together. " +
            "The sessions stay in memory between rounds (a warm storm, as after a network blip): the replay comes from the session, not the journal; " +
            "after the rounds the server restarts for one cold storm, below the table. " +
            "ops = users whose replay arrived complete; latency = connect → last missed event. " +
            $"Baseline: `/bare/replay` of bench/BaselineServers sends `welcome` and {missed} events from memory.",
            [AbTable.Build($"reconnect storm, {users} users × {missed} missed events: server (A) vs bare (B)", rounds, "server", "bare", "users",
                [("missing", r => r.Lost), ("dups", r => r.Duplicates)])],
            [
                TargetCheck.AtLeast($"reconnects/s, {users} users, server / bare", AbTable.ThroughputRatio(rounds), TargetRatio, "0.00", "×"),
                TargetCheck.Exactly("server users not fully replayed (all rounds)", runsA.Sum(r => users - r.Operations), 0),
                TargetCheck.Exactly("server duplicated events (all rounds)", runsA.Sum(r => r.Duplicates), 0),
                TargetCheck.Exactly("server users not fully replayed after a restart", users - cold.Operations, 0),
                TargetCheck.Exactly("server duplicated events after a restart", cold.Duplicates, 0),
                ColdCheck(cold, users),
            ],
            [ColdLine(cold, users)]);
    }

    /// <summary>Issue 15: a cold storm recovers at least 1,000 users/s from the journal (each replayed once: the checks beside it).</summary>
    internal static TargetCheck ColdCheck(RunResult cold, int users) => TargetCheck.AtLeast(
        $"cold storm: users recovered from the journal per second, {users:N0} users", cold.Throughput, TargetColdUsersPerSecond, "N0", "/s");

    /// <summary>The cold storm in one line: it is one run, not a round of the A/B table.</summary>
    internal static string ColdLine(RunResult cold, int users) => string.Create(
        CultureInfo.InvariantCulture,
        $"cold storm (server restarted on the same storage, every session recovered from the journal at once): " +
        $"{cold.Operations:N0}/{users:N0} users fully replayed in {cold.Seconds:0.00} s ({Fmt.Num(cold.Throughput, "N0")}/s), " +
        $"p50 {Fmt.Ms(cold.Latency.P50)} ms, p99 {Fmt.Ms(cold.Latency.P99)} ms, {cold.Lost:N0} events missing, " +
        $"{cold.Duplicates:N0} duplicated, {cold.Errors:N0} connects failed");

    /// <summary>Sends enough SMS for each user (3 events each with the loopback provider) and waits until they are stored; returns each user's last seq.</summary>
    private static async Task<long[]> PrepareAsync(ScenarioContext context, BenchProcess server, int users, int missed)
    {
        var sends = (missed + 2) / 3;
        var lastSeqs = new long[users];
        await Runners.ConnectManyAsync(context, "prepared users", users, 32, async i =>
        {
            var user = ScenarioContext.UserId("rs-", i);
            var token = context.Tokens.For(user);
            for (var s = 0; s < sends; s++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, server.Http($"api/users/{user}/messages"))
                {
                    Content = JsonContent.Create(new { to = ScenarioContext.ClientNumber(i), body = $"Missed event {s}", clientRef = $"prep-{s}" }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await context.Http.SendAsync(request, context.Cancel);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"preparing {user}: POST messages answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(context.Cancel)}");
                }
            }

            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, server.Http($"api/users/{user}/messages?since=0&limit=1000"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await context.Http.SendAsync(request, context.Cancel);
                using var events = JsonDocument.Parse(await response.Content.ReadAsStringAsync(context.Cancel));
                var seqs = events.RootElement.EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ToList();
                lastSeqs[i] = seqs.Count == 0 ? 0 : seqs.Max();
                if (seqs.Count >= sends * 3)
                {
                    break;
                }

                await Task.Delay(50, context.Cancel);
            }

            return i;
        });
        return lastSeqs;
    }

    private static async Task<RunResult> StormAsync(
        ScenarioContext context, Side side, int round, BenchProcess server, BenchProcess baseline, long[] lastSeqs, int missed)
    {
        var process = side == Side.A ? server : baseline;
        var users = lastSeqs.Length;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new LatencyLog();
        var latencies = log.NewWorker();
        var timeout = context.Size.OperationTimeout * 3;
        var before = await process.SampleAsync();
        var toolBefore = Runners.ToolCpuMs();
        var tasks = Enumerable.Range(0, users).Select(async i =>
        {
            var user = ScenarioContext.UserId("rs-", i);
            var since = lastSeqs[i] - missed;
            var uri = side == Side.A
                ? context.UserSocket(server, user, $"since={since}")
                : baseline.Ws($"/bare/replay?since={since}&count={missed}&user={user}");
            var replay = new Replay(since, lastSeqs[i]);
            await gate.Task;
            var start = Stopwatch.GetTimestamp();
            BenchSocket? socket = null;
            try
            {
                socket = await BenchSocket.ConnectAsync(uri, replay.OnFrame, context.Cancel);
                var complete = await replay.Complete.Task.WaitAsync(timeout, context.Cancel).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
                if (complete)
                {
                    lock (latencies)
                    {
                        LatencyLog.Add(latencies, start, replay.CompletedAt);
                    }
                }

                return new StormUser(true, replay.IsComplete, replay.Missing, replay.Duplicates, complete ? replay.CompletedAt : Stopwatch.GetTimestamp(), socket);
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or HttpRequestException or IOException
                || (e is OperationCanceledException && !context.Cancel.IsCancellationRequested))
            {
                return new StormUser(false, false, missed, 0, Stopwatch.GetTimestamp(), socket);
            }
        }).ToList();
        await Task.Delay(context.IsTiny ? 50 : 500, context.Cancel);
        var started = Stopwatch.GetTimestamp();
        gate.SetResult();
        var results = await Task.WhenAll(tasks);
        var end = results.Max(r => r.End);
        var seconds = (end - started) / (double)Stopwatch.Frequency;
        var toolCores = (Runners.ToolCpuMs() - toolBefore) / 1000.0 / seconds;
        var after = await process.SampleAsync();
        var complete = results.Count(r => r.IsComplete);
        await Runners.DisposeAllAsync(results.Where(r => r.Socket is not null).Select(r => new Closing(r.Socket!)));
        await Task.Delay(context.Size.SettleTime, context.Cancel);
        return new RunResult(
            side, round, complete, seconds, log.Summarize(), ResourceUse.Between(before, after, users), toolCores,
            Errors: results.Count(r => !r.Connected), Timeouts: users - complete,
            Lost: results.Sum(r => r.Missing), Duplicates: results.Sum(r => r.Duplicates));
    }

    private sealed record StormUser(bool Connected, bool IsComplete, long Missing, long Duplicates, long End, BenchSocket? Socket);

    /// <summary>One user's replay: the welcome, then each event after <c>since</c> up to the user's last seq exactly once.</summary>
    private sealed class Replay(long since, long lastSeq)
    {
        private readonly HashSet<long> _seen = [];
        private long _duplicates;

        public TaskCompletionSource Complete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long CompletedAt { get; private set; }

        public bool IsComplete => Complete.Task.IsCompletedSuccessfully;

        public long Duplicates
        {
            get
            {
                lock (_seen)
                {
                    return _duplicates;
                }
            }
        }

        public long Missing
        {
            get
            {
                lock (_seen)
                {
                    return (lastSeq - since) - _seen.Count(s => s > since && s <= lastSeq);
                }
            }
        }

        public void OnFrame(Frame frame, long arrived)
        {
            if (!frame.IsEvent)
            {
                return;
            }

            lock (_seen)
            {
                if (!_seen.Add(frame.Seq))
                {
                    _duplicates++;
                }

                if (_seen.Count(s => s > since && s <= lastSeq) == lastSeq - since && CompletedAt == 0)
                {
                    CompletedAt = arrived;
                    Complete.TrySetResult();
                }
            }
        }
    }

    private sealed class Closing(BenchSocket socket) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await socket.CloseAsync(TimeSpan.FromSeconds(3));
            await socket.DisposeAsync();
        }
    }
}
