using System.Diagnostics;
using System.Globalization;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;
using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// One fan-in run: which webhooks were posted (and when), which were accepted (200), which arrived as
/// <c>message</c> frames (once, or more). Frames of every connected user come here through a <see cref="FanInRouter"/>.
/// </summary>
public sealed class FanInRun
{
    private readonly long[] _posted;
    private readonly int[] _accepted;
    private readonly int[] _seen;
    private readonly List<double> _latencies = [];
    private readonly string _prefix;
    private long _delivered;
    private long _duplicates;
    private long _lastArrival;

    public FanInRun(int runId, int capacity)
    {
        RunId = runId;
        _posted = new long[capacity];
        _accepted = new int[capacity];
        _seen = new int[capacity];
        _prefix = string.Create(CultureInfo.InvariantCulture, $"fanin {runId}:");
    }

    public int RunId { get; }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long LastArrival => Interlocked.Read(ref _lastArrival);

    public string Body(long index) => _prefix + index.ToString(CultureInfo.InvariantCulture);

    public void Posting(long index, long timestamp) => Volatile.Write(ref _posted[index], timestamp);

    public void Accepted(long index) => Volatile.Write(ref _accepted[index], 1);

    /// <summary>Accepted but never seen.</summary>
    public long CountLost()
    {
        long lost = 0;
        for (var i = 0; i < _accepted.Length; i++)
        {
            if (Volatile.Read(ref _accepted[i]) == 1 && Volatile.Read(ref _seen[i]) == 0)
            {
                lost++;
            }
        }

        return lost;
    }

    public void OnMessage(string? body, long arrived)
    {
        if (body is null || !body.StartsWith(_prefix, StringComparison.Ordinal)
            || !long.TryParse(body.AsSpan(_prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index < 0 || index >= _posted.Length)
        {
            return;
        }

        var posted = Volatile.Read(ref _posted[index]);
        if (Interlocked.Exchange(ref _seen[index], 1) != 0)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        Interlocked.Increment(ref _delivered);

        long last;
        while ((last = Interlocked.Read(ref _lastArrival)) < arrived && Interlocked.CompareExchange(ref _lastArrival, arrived, last) != last)
        {
        }

        if (posted != 0)
        {
            lock (_latencies)
            {
                if (_latencies.Count < LatencyLog.MaxSamplesPerWorker)
                {
                    _latencies.Add(LatencyLog.Milliseconds(posted, arrived));
                }
            }
        }
    }

    public LatencySummary Latency()
    {
        lock (_latencies)
        {
            return LatencySummary.From(_latencies);
        }
    }
}

/// <summary>Where sockets hand their <c>message</c> frames: the run in progress, if any.</summary>
public sealed class FanInRouter
{
    private FanInRun? _current;

    public FanInRun? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    public void OnFrame(Frame frame, long arrived)
    {
        if (frame.Type == "message")
        {
            Current?.OnMessage(frame.Body, arrived);
        }
    }
}

public static class FanInRunner
{
    private static int _runIds;

    /// <summary>
    /// Posts up to <paramref name="messages"/> signed inbound webhooks with <paramref name="posters"/> posting at
    /// once (bounded in time too), to users 0..users-1 in turn (or to the users <paramref name="numbers"/> names, by
    /// their <see cref="ScenarioContext.NumberOf"/> index), then waits (bounded) for their frames. With a
    /// <paramref name="schedule"/> each webhook waits for its due time first (open loop); latency is always post start → frame.
    /// </summary>
    public static async Task<RunResult> RunAsync(
        ScenarioContext context, Side side, int round, FanInRouter router, BenchProcess process, Uri webhookUrl,
        int users, int posters, int messages, TimeSpan maxTime, IReadOnlyList<int>? numbers = null, PacedSchedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(process);
        var run = new FanInRun(Interlocked.Increment(ref _runIds), messages);
        router.Current = run;
        var webhook = new SignedWebhook(context.Http, context.TwilioAccountSid, context.TwilioAuthToken);
        long next = -1, refused = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
        var before = await process.SampleAsync();
        var toolBefore = Runners.ToolCpuMs();
        var start = Stopwatch.GetTimestamp();
        var budget = new Budget(messages, maxTime, context.Cancel);
        await BoundedLoop.RunWorkersAsync(posters, budget, async (_, _) =>
        {
            var index = Interlocked.Increment(ref next);
            var user = numbers is null ? (int)(index % users) : numbers[(int)(index % numbers.Count)];
            if (schedule is not null)
            {
                await schedule.WaitForTurnAsync(index, start, context.Cancel);
            }

            run.Posting(index, Stopwatch.GetTimestamp());
            var status = await webhook.PostInboundAsync(
                webhookUrl, SignedWebhook.MessageSid(run.RunId, index), ScenarioContext.ClientNumber(index), ScenarioContext.NumberOf(user), run.Body(index), context.Cancel);
            if (status == 200)
            {
                run.Accepted(index);
            }
            else
            {
                Interlocked.Increment(ref refused);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            }
        });
        var postedEnd = Stopwatch.GetTimestamp();
        var grace = context.IsTiny ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(15);
        await BoundedLoop.WaitUntilAsync(() => run.CountLost() == 0, grace, TimeSpan.FromMilliseconds(20), context.Cancel);
        var end = Math.Max(run.LastArrival, postedEnd);
        var seconds = (end - start) / (double)Stopwatch.Frequency;
        var toolCores = (Runners.ToolCpuMs() - toolBefore) / 1000.0 / seconds;
        var after = await process.SampleAsync();
        router.Current = null;
        if (!statuses.IsEmpty)
        {
            context.Log($"  refused webhooks by status: {string.Join(", ", statuses.Select(s => $"{(s.Key == 0 ? "no answer" : s.Key)} ×{s.Value}"))}");
        }

        return new RunResult(
            side, round, run.Delivered, seconds, run.Latency(), ResourceUse.Between(before, after, Math.Max(run.Delivered, 1)), toolCores,
            Errors: refused, Lost: run.CountLost(), Duplicates: run.Duplicates);
    }

    public static (string Name, Func<RunResult, double> Value)[] ExtraColumns =>
        [("lost", r => r.Lost), ("dups", r => r.Duplicates)];

    public static void AddChecks(List<TargetCheck> checks, IReadOnlyList<(RunResult A, RunResult B)> rounds, string baselineName, double targetRatio, int users)
    {
        ArgumentNullException.ThrowIfNull(checks);
        checks.Add(TargetCheck.AtLeast($"inbound messages/s, {users} users, server / {baselineName}", AbTable.ThroughputRatio(rounds), targetRatio, "0.00", "×"));
        checks.Add(TargetCheck.Exactly("server messages lost (all rounds)", rounds.Sum(r => r.A.Lost), 0));
    }
}
