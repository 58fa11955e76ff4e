using System.Diagnostics;
using System.Globalization;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;
using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Scenario 4: many users connected and idle. Memory per connection is the process's resident memory
/// (VmRSS) after minus before, over the connections, with a full GC forced before each reading (bench
/// counters); the managed heap per connection is shown beside it. Against bare Kestrel sockets.
/// </summary>
public sealed class IdleScenario : IScenario
{
    public const double TargetKibPerConnection = 28;
    public const int ConnectParallelism = 200;

    public string Name => Cli.ScenarioNames.Idle;

    public string Title => "Idle sockets: memory per connected user, vs bare Kestrel WebSockets";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var largest = context.Size.IdleConnections.Max();
        var notes = new List<string>();
        if (Native.OpenFileLimit() is { } limit && limit.Soft < (ulong)largest + 1000)
        {
            notes.Add($"open-file limit {limit.Soft} is below {largest + 1000}: raise it (`ulimit -n 65536`) or connections will fail");
        }

        // Every run gets fresh processes: resident memory only grows back after a GC has freed it, so a
        // process that already held (and released) sockets would under-report the next run's growth.
        string storage;
        await using (var probe = await context.StartServerAsync("idle-probe"))
        {
            storage = await ServerProbe.StorageAsync(context, probe);
        }

        var tables = new List<ResultTable>();
        var checks = new List<TargetCheck>();
        foreach (var connections in context.Size.IdleConnections)
        {
            var rounds = await AbSchedule.AlternateAsync(
                context.Options.Rounds,
                r => RunOnceAsync(context, Side.A, r, connections),
                r => RunOnceAsync(context, Side.B, r, connections),
                (r, side, run) => context.Log(string.Create(
                    CultureInfo.InvariantCulture,
                    $"idle {connections:N0}: round {r + 1}/{context.Options.Rounds} {(side == Side.A ? "server" : "bare")}: " +
                    $"{run.Held:N0} held, {Fmt.Num(run.RssKibPerConnection, "0.0")} KiB RSS/conn, {Fmt.Num(run.HeapKibPerConnection, "0.0")} KiB heap/conn, " +
                    $"connected in {run.ConnectSeconds:0.0}s")),
                context.Cancel);
            tables.Add(Table(connections, rounds));
            checks.Add(TargetCheck.AtMost(
                $"server RSS per idle connected user, {connections:N0} users (median)",
                Median.Of(rounds.Select(r => r.A.RssKibPerConnection)), TargetKibPerConnection, "0.0", " KiB"));
            if (connections == largest)
            {
                checks.Add(TargetCheck.Exactly($"server connections held, {connections:N0} conns (fewest in a round)", rounds.Min(r => r.A.Held), connections));
            }
        }

        return new ScenarioResult(
            Name, Title,
            $"server: {storage}; one user per socket, each socket welcomed by its session before measuring. Each run starts fresh processes " +
            "and warms them up with 50 connections; memory is the process's VmRSS (/proc) and managed heap, each read after a forced full GC, " +
            "before and after connecting, divided by the connections. " +
            "Baseline: `/bare/echo` sockets of bench/BaselineServers.",
            tables, checks, notes);
    }

    private static async Task<IdleRun> RunOnceAsync(ScenarioContext context, Side side, int round, int connections)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"idle-{connections}-r{round}-{(side == Side.A ? "server" : "bare")}");
        await using var process = side == Side.A ? await context.StartServerAsync(name) : await context.StartBaselineAsync(name);

        // Warm-up: JIT and pools, so the measured connections do not pay for them.
        var warm = await ConnectAsync(context, side, process, "warm", Math.Min(50, connections), round);
        await CloseAllAsync(warm.Sockets);
        await Task.Delay(context.Size.SettleTime, context.Cancel);

        var before = await process.SampleAsync(collect: true);
        var clock = Stopwatch.StartNew();
        var (sockets, welcomed, failed) = await ConnectAsync(context, side, process, "idle", connections, round);
        var connected = sockets.Count(s => s is not null);
        var connectSeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(context.Size.SettleTime, context.Cancel);
        var after = await process.SampleAsync(collect: true);
        var held = sockets.Count(s => s is not null && s.IsOpen);
        if (failed > 0)
        {
            context.Log($"  {name}: {failed} connections failed");
        }

        await CloseAllAsync(sockets);
        return new IdleRun(
            connections, connected, held, welcomed, connectSeconds,
            before.RssKib, after.RssKib,
            (after.RssKib - before.RssKib) / (double)Math.Max(1, connected),
            before.HeapBytes is { } h0 && after.HeapBytes is { } h1 ? (h1 - h0) / 1024.0 / Math.Max(1, connected) : double.NaN);
    }

    /// <summary>Connects users (A: each welcomed by its session before this returns) or bare sockets (B).</summary>
    internal static async Task<(List<BenchSocket?> Sockets, int Welcomed, int Failed)> ConnectAsync(
        ScenarioContext context, Side side, BenchProcess process, string prefix, int connections, int round)
    {
        var welcomed = 0;
        var failed = 0;
        var label = side == Side.A ? "server" : "bare";
        var sockets = await Runners.ConnectManyAsync(context, $"{prefix} {label}", connections, ConnectParallelism, async i =>
        {
            var uri = side == Side.A
                ? context.UserSocket(process, string.Create(CultureInfo.InvariantCulture, $"{prefix}{connections}-r{round}-{i}"))
                : process.Ws("/bare/echo");
            try
            {
                return await BenchSocket.ConnectAsync(
                    uri,
                    (frame, _) =>
                    {
                        if (frame.Type == "welcome")
                        {
                            Interlocked.Increment(ref welcomed);
                        }
                    },
                    context.Cancel);
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or HttpRequestException or IOException
                || (e is OperationCanceledException && !context.Cancel.IsCancellationRequested))
            {
                Interlocked.Increment(ref failed);
                return null;
            }
        });
        var connected = sockets.Count(s => s is not null);
        if (side == Side.A)
        {
            // Every socket is either welcomed or closed by the server (1011: its session did not load in time).
            await BoundedLoop.WaitUntilAsync(
                () => Volatile.Read(ref welcomed) + sockets.Count(s => s is { ClosedByServer: true }) >= connected,
                TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(200), context.Cancel);
        }

        return (sockets, side == Side.A ? Volatile.Read(ref welcomed) : connected, failed);
    }

    /// <summary>
    /// Aborts rather than closes: what is measured is memory while held, each round's server is stopped right after,
    /// and 19,000 close handshakes with a bounded wait each stalled the tool for minutes.
    /// </summary>
    internal static Task CloseAllAsync(IEnumerable<BenchSocket?> sockets) =>
        Runners.DisposeAllAsync(sockets.OfType<BenchSocket>());

    private static ResultTable Table(int connections, IReadOnlyList<(IdleRun A, IdleRun B)> rounds)
    {
        var rows = new List<IReadOnlyList<string>>();
        for (var r = 0; r < rounds.Count; r++)
        {
            foreach (var side in AbSchedule.Order(r))
            {
                var run = side == Side.A ? rounds[r].A : rounds[r].B;
                rows.Add(
                [
                    (r + 1).ToString(CultureInfo.InvariantCulture), side == Side.A ? "server" : "bare", Fmt.Int(run.Connected), Fmt.Int(run.Held),
                    Fmt.Int(run.Welcomed), Fmt.Num(run.ConnectSeconds, "0.0"), Fmt.Num(run.RssBeforeKib / 1024.0, "0.0"), Fmt.Num(run.RssAfterKib / 1024.0, "0.0"),
                    Fmt.Num(run.RssKibPerConnection, "0.0"), Fmt.Num(run.HeapKibPerConnection, "0.0"),
                ]);
            }
        }

        rows.Add(["median", "server", "", "", "", "", "", "", Fmt.Num(Median.Of(rounds.Select(p => p.A.RssKibPerConnection)), "0.0"), Fmt.Num(Median.Of(rounds.Select(p => p.A.HeapKibPerConnection)), "0.0")]);
        rows.Add(["median", "bare", "", "", "", "", "", "", Fmt.Num(Median.Of(rounds.Select(p => p.B.RssKibPerConnection)), "0.0"), Fmt.Num(Median.Of(rounds.Select(p => p.B.HeapKibPerConnection)), "0.0")]);
        rows.Add(["ratio", "server/bare", "", "", "", "", "", "", Fmt.Ratio(MedianRatio.Of(rounds.Select(p => (p.A.RssKibPerConnection, p.B.RssKibPerConnection)))), Fmt.Ratio(MedianRatio.Of(rounds.Select(p => (p.A.HeapKibPerConnection, p.B.HeapKibPerConnection))))]);
        return new ResultTable(
            $"{connections:N0} idle connections: server (A) vs bare sockets (B)",
            ["round", "side", "connected", "held", "welcomed", "connect s", "RSS before MiB", "RSS after MiB", "KiB RSS/conn", "KiB heap/conn"],
            rows);
    }

    private sealed record IdleRun(
        int Connections, int Connected, int Held, int Welcomed, double ConnectSeconds, long RssBeforeKib, long RssAfterKib,
        double RssKibPerConnection, double HeapKibPerConnection);
}
