using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// The paced half of fan-in (issue 15): after the saturation rounds, one run per side posting on a schedule at half
/// the server's median saturation rate, so p99 POST → frame is the latency of a loaded server rather than of a queue.
/// </summary>
public static class FanInPaced
{
    public const double TargetP99Ms = 5;

    public sealed record Result(PacedSchedule Schedule, RunResult A, RunResult B);

    public static async Task<Result?> RunAsync(
        ScenarioContext context, IReadOnlyList<(RunResult A, RunResult B)> rounds, BenchProcess processA, BenchProcess processB,
        FanInRouter routerA, FanInRouter routerB, Uri webhookA, Uri webhookB, int users)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(rounds);
        var schedule = PacedSchedule.HalfOf(AbTable.MedianOf(rounds.Select(r => r.A), r => r.Throughput));
        if (schedule is null)
        {
            context.Log("fan-in paced: skipped, no saturation rate was measured");
            return null;
        }

        var messages = context.Size.FanInPacedMessages;
        var maxTime = MaxTime(schedule, messages, context.Size.FanInSeconds);
        context.Log($"fan-in paced: {messages:N0} webhooks per side at {schedule.RatePerSecond:N0}/s (half the server's saturation), up to {maxTime.TotalSeconds:N0} s");
        await Task.Delay(context.Size.SettleTime, context.Cancel);
        var a = await FanInRunner.RunAsync(context, Side.A, 0, routerA, processA, webhookA, users, context.Size.FanInPosters, messages, maxTime, schedule: schedule);
        RoundTripScenario.LogRun(context, "fan-in paced", 0, "server", a);
        await Task.Delay(context.Size.SettleTime, context.Cancel);
        var b = await FanInRunner.RunAsync(context, Side.B, 0, routerB, processB, webhookB, users, context.Size.FanInPosters, messages, maxTime, schedule: schedule);
        RoundTripScenario.LogRun(context, "fan-in paced", 0, "bare POST", b);
        return new Result(schedule, a, b);
    }

    /// <summary>The schedule's own length twice over, at least the saturation runs' bound: a server that falls behind is still stopped.</summary>
    public static TimeSpan MaxTime(PacedSchedule schedule, int messages, double saturationSeconds)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return TimeSpan.FromSeconds(Math.Max(saturationSeconds, 2 * schedule.Duration(messages).TotalSeconds));
    }

    public static ResultTable Table(Result paced, int users, string nameA, string nameB)
    {
        ArgumentNullException.ThrowIfNull(paced);
        return new ResultTable(
            $"fan-in, {users} users, paced at {Fmt.Num(paced.Schedule.RatePerSecond, "N0")} msgs/s (half the server's median saturation rate)",
            ["side", "msgs", "msgs/s", "p50 ms", "p99 ms", "max ms", "refused", "lost", "dups"],
            [Row(nameA, paced.A), Row(nameB, paced.B)]);
    }

    public static IEnumerable<TargetCheck> Checks(Result? paced, int users)
    {
        const string p99 = "server p99 POST → frame, paced at half saturation";
        if (paced is null)
        {
            yield return TargetCheck.NotMeasured(p99, $"≤ {TargetP99Ms:0} ms", "no saturation rate");
            yield break;
        }

        yield return TargetCheck.AtMost($"{p99}, {users} users", paced.A.Latency.P99, TargetP99Ms, "0.00", " ms");
        yield return TargetCheck.Exactly("server messages lost, paced", paced.A.Lost, 0);
    }

    private static List<string> Row(string side, RunResult run) =>
    [
        side, Fmt.Int(run.Operations), Fmt.Num(run.Throughput, "N0"), Fmt.Ms(run.Latency.P50), Fmt.Ms(run.Latency.P99), Fmt.Ms(run.Latency.Max),
        Fmt.Int(run.Errors), Fmt.Int(run.Lost), Fmt.Int(run.Duplicates),
    ];
}
