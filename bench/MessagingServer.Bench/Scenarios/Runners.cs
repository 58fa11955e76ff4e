using System.Diagnostics;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;
using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Scenarios;

/// <summary>The loops the scenarios share.</summary>
public static class Runners
{
    public static double ToolCpuMs()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    /// <summary>
    /// Every client runs a closed loop (one operation at a time) until the shared budget (count and time)
    /// runs out. Latency is per operation; the process's CPU and allocations are read before and after.
    /// </summary>
    public static async Task<RunResult> ClosedLoopAsync(
        ScenarioContext context, Side side, int round, IReadOnlyList<IRoundTripClient> clients, BenchProcess process, TimeSpan duration, long maxOperations)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(process);
        var log = new LatencyLog();
        long ok = 0, errors = 0, timeouts = 0;
        var before = await process.SampleAsync();
        var toolBefore = ToolCpuMs();
        var budget = new Budget(maxOperations, duration, context.Cancel);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async client =>
        {
            var latencies = log.NewWorker();
            while (budget.TryTake())
            {
                var start = Stopwatch.GetTimestamp();
                OpOutcome outcome;
                try
                {
                    outcome = await client.RoundTripAsync(context.Size.OperationTimeout, context.Cancel);
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    break;
                }

                switch (outcome)
                {
                    case OpOutcome.Ok:
                        LatencyLog.Add(latencies, start, Stopwatch.GetTimestamp());
                        Interlocked.Increment(ref ok);
                        break;
                    case OpOutcome.Error:
                        Interlocked.Increment(ref errors);
                        break;
                    default:
                        Interlocked.Increment(ref timeouts);
                        break;
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var toolCores = (ToolCpuMs() - toolBefore) / 1000.0 / seconds;
        var after = await process.SampleAsync();
        return new RunResult(side, round, ok, seconds, log.Summarize(), ResourceUse.Between(before, after, ok), toolCores, errors, timeouts);
    }

    /// <summary>Opens <paramref name="count"/> connections, <paramref name="parallel"/> at a time, with progress for large counts.</summary>
    public static async Task<List<T>> ConnectManyAsync<T>(
        ScenarioContext context, string what, int count, int parallel, Func<int, Task<T>> connect)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(connect);
        var results = new T[count];
        var next = -1;
        var done = 0;
        var clock = Stopwatch.StartNew();
        using var progress = count >= 2000 ? new Timer(_ => context.Log($"  {what}: {Volatile.Read(ref done):N0}/{count:N0} connected"), null, 2000, 2000) : null;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                context.Cancel.ThrowIfCancellationRequested();
                results[i] = await connect(i);
                Interlocked.Increment(ref done);
            }
        }));
        if (count >= 2000)
        {
            context.Log($"  {what}: {count:N0} connected in {clock.Elapsed.TotalSeconds:0.0}s");
        }

        return [.. results];
    }

    public static async Task DisposeAllAsync<T>(IEnumerable<T> items, int parallel = 256)
        where T : IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(items);
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(items.Where(i => i is not null).Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await item.DisposeAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
