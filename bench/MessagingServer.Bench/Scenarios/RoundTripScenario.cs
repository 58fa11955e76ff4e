using System.Globalization;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Scenario 1: N connections, each a closed loop of <c>send</c> → its own <c>outbound</c> event (matched by
/// clientRef), against the same loop on a bare Kestrel WebSocket echo.
/// </summary>
public sealed class RoundTripScenario : IScenario
{
    public const double TargetRatio = 0.5;
    public const double TargetBytesPerRoundTrip = 8 * 1024;
    public const double TargetDurableRatio = 0.5;
    public const double TargetCpuUsPerRoundTrip = 120;

    public string Name => Cli.ScenarioNames.RoundTrip;

    public string Title => "Round trip: send → own outbound event, vs a bare Kestrel WebSocket echo";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var server = await context.StartServerAsync("round-trip-server");
        await using var baseline = await context.StartBaselineAsync("round-trip-baseline");
        var storage = await ServerProbe.StorageAsync(context, server);
        var tables = new List<ResultTable>();
        var checks = new List<TargetCheck>();
        // Server users by prefix (each comparison its own users); a baseline path echoes the send frame itself.
        Func<int, Task<SocketRoundTrip>> ServerSide(string prefix) => i => SocketRoundTrip.ConnectAsync(
            context.UserSocket(server, ScenarioContext.UserId(prefix, i)), "outbound", ScenarioContext.ClientNumber(i), "c", context.Cancel);
        Func<int, Task<SocketRoundTrip>> EchoSide(string path) => i => SocketRoundTrip.ConnectAsync(
            baseline.Ws(path), "send", ScenarioContext.ClientNumber(i), "c", context.Cancel);
        foreach (var connections in context.Size.RoundTripConnections)
        {
            var (table, rounds) = await CompareAsync(
                context, $"{connections} connection(s)", connections, server, baseline, "server", "bare echo",
                ServerSide($"rt{connections}-"), EchoSide("/bare/echo"));
            tables.Add(table);
            if (connections == context.Size.TargetConnections)
            {
                // The physical limit of durability here: the echo storing the same four rows per frame before it answers.
                var (durableTable, durableRounds) = await CompareAsync(
                    context, $"{connections} connection(s), durable", connections, server, baseline, "server", "durable echo",
                    ServerSide($"rd{connections}-"), EchoSide("/durable/echo"));
                tables.Add(durableTable);
                checks.Add(TargetCheck.AtLeast(
                    $"round trips/s, {connections} conns, server / durable echo", AbTable.ThroughputRatio(durableRounds), TargetDurableRatio, "0.00", "×"));
                checks.Add(TargetCheck.AtMost(
                    $"server CPU-µs per round trip, {connections} conns",
                    AbTable.MedianOf(rounds.Select(r => r.A), r => r.Process?.CpuUsPerOp ?? double.NaN), TargetCpuUsPerRoundTrip, "N0", " µs"));
                checks.Add(TargetCheck.AtLeast($"round trips/s, {connections} conns, server / bare echo", AbTable.ThroughputRatio(rounds), TargetRatio, "0.00", "×"));
                checks.Add(TargetCheck.AtMost(
                    $"server bytes allocated per round trip, {connections} conns",
                    AbTable.MedianOf(rounds.Select(r => r.A), r => r.Process?.BytesPerOp ?? double.NaN), TargetBytesPerRoundTrip, "N0", " B"));
            }
        }

        return new ScenarioResult(
            Name, Title,
            $"server: {storage}; SMS through the loopback provider (each send also stores and shows `sent` and `delivered`). " +
            "Baseline: `/bare/echo` of bench/BaselineServers answers each frame with itself; at the target size also `/durable/echo`, which " +
            "first stores the four rows a round trip of the server stores (outbound, call started, sent, delivered) through one shared " +
            "group-commit writer on Microsoft.Data.Sqlite (prepared statements, one transaction per batch, WAL, SQLite's default synchronous " +
            "setting as the server's). One user per connection; " +
            $"{context.Options.Rounds} A/B round(s) of {context.Size.RunSeconds:0.#} s after {context.Size.WarmupSeconds:0.#} s of warm-up per side.",
            tables, checks, []);
    }

    /// <summary>Connects both sides, warms them up, runs the A/B rounds, disconnects; shared with the SignalR scenario.</summary>
    internal static async Task<(ResultTable Table, IReadOnlyList<(RunResult A, RunResult B)> Rounds)> CompareAsync<TA, TB>(
        ScenarioContext context, string label, int connections, BenchProcess processA, BenchProcess processB, string nameA, string nameB,
        Func<int, Task<TA>> connectA, Func<int, Task<TB>> connectB)
        where TA : IRoundTripClient
        where TB : IRoundTripClient
    {
        context.Log($"{label}: connecting {connections} to {nameA} and {connections} to {nameB}");
        var a = (await Runners.ConnectManyAsync(context, nameA, connections, 64, connectA)).Cast<IRoundTripClient>().ToList();
        var b = (await Runners.ConnectManyAsync(context, nameB, connections, 64, connectB)).Cast<IRoundTripClient>().ToList();
        try
        {
            var warmup = TimeSpan.FromSeconds(context.Size.WarmupSeconds);
            var run = TimeSpan.FromSeconds(context.Size.RunSeconds);
            var warmA = await Runners.ClosedLoopAsync(context, Side.A, -1, a, processA, warmup, context.Size.MaxOperationsPerRun);
            var warmB = await Runners.ClosedLoopAsync(context, Side.B, -1, b, processB, warmup, context.Size.MaxOperationsPerRun);
            context.Log($"{label}: warm-up {nameA} {warmA.Operations:N0} ops ({warmA.Errors + warmA.Timeouts} failed), {nameB} {warmB.Operations:N0} ops");
            var rounds = await AbSchedule.AlternateAsync(
                context.Options.Rounds,
                r => Runners.ClosedLoopAsync(context, Side.A, r, a, processA, run, context.Size.MaxOperationsPerRun),
                r => Runners.ClosedLoopAsync(context, Side.B, r, b, processB, run, context.Size.MaxOperationsPerRun),
                (r, side, result) => LogRun(context, label, r, side == Side.A ? nameA : nameB, result),
                context.Cancel);
            return (AbTable.Build($"{label}: {nameA} (A) vs {nameB} (B)", rounds, nameA, nameB), rounds);
        }
        finally
        {
            await Runners.DisposeAllAsync(a);
            await Runners.DisposeAllAsync(b);
        }
    }

    internal static void LogRun(ScenarioContext context, string label, int round, string side, RunResult result) =>
        context.Log(string.Create(
            CultureInfo.InvariantCulture,
            $"{label}: round {round + 1}/{context.Options.Rounds} {side}: {result.Operations:N0} in {result.Seconds:0.00}s = {result.Throughput:N0}/s, " +
            $"p50 {Fmt.Ms(result.Latency.P50)} ms, p99 {Fmt.Ms(result.Latency.P99)} ms, failed {result.Errors + result.Timeouts}, " +
            $"CPU {Fmt.Num(result.Process?.CpuUsPerOp, "N0")} µs/op, {Fmt.Num(result.Process?.BytesPerOp, "N0")} B/op"));
}
