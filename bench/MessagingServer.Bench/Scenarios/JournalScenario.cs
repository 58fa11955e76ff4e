using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;
using MessagingServer.Bench.Stats;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Scenario 6: how many events per second the sessions store. Users send over their sockets with a few
/// sends in flight; each send stores its <c>outbound</c> event, a dispatch record and the loopback provider's
/// <c>sent</c> and <c>delivered</c>. Events are counted as journal rows (SQLite or PostgreSQL) when the build
/// has SQL persistence, else as events shown on the sockets. Against the standalone journal write test of
/// bench/BaselineServers on the same journal, with as many writers and writes in flight; and, as a note, one
/// writer with one write at a time (the figure the test suites' old throughput probes printed: a measurement,
/// so it lives here and not in every CI run). Server settings to compare go in with <c>--env</c>, e.g.
/// <c>--env Persistence__Journal__BatchSize=100</c>.
/// </summary>
public sealed class JournalScenario : IScenario
{
    public const double TargetRatio = 0.8;

    /// <summary>Journal rows per send with the loopback provider: outbound, dispatch started, sent, delivered.</summary>
    public const int RowsPerSend = 4;

    /// <summary>Events of the one-writer, one-write-at-a-time run (what a lone session persisting <c>Persist</c> by <c>Persist</c> gets).</summary>
    public const int SingleWriterEvents = 200;

    public string Name => Cli.ScenarioNames.Journal;

    public string Title => "Journal: events/s stored by the sessions, vs a standalone journal write test of the same mode";

    /// <summary>
    /// SQLite, then PostgreSQL (<c>--pg</c>, else a throwaway server from the machine's binaries; skipped with the
    /// reason when there is neither), each against its own standalone test.
    /// </summary>
    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parts = new List<ScenarioResult> { await RunModeAsync(context, null) };
        await using (var postgres = await BenchPostgres.StartAsync(context, "journal"))
        {
            if (postgres.SkipReason is { } skip)
            {
                context.Log($"journal: PostgreSQL skipped: {skip}");
                parts.Add(new ScenarioResult(Name, Title, "", [], [TargetCheck.NotMeasured("events/s stored by the sessions, postgresql", JournalTargets.NoWorse(JournalTargets.BeforePostgresEventsPerSecond), "skipped")], [$"PostgreSQL skipped: {skip}"]));
            }
            else
            {
                parts.Add(await RunModeAsync(context, await postgres.DatabaseAsync("bench_journal")));
            }
        }

        return new ScenarioResult(
            Name, Title, string.Join(" ", parts.Select(p => p.Setup).Where(s => s.Length > 0)),
            [.. parts.SelectMany(p => p.Tables)], [.. parts.SelectMany(p => p.Checks)], [.. parts.SelectMany(p => p.Notes)]);
    }

    /// <param name="postgresConnection">null: SQLite; else the PostgreSQL journal to run on.</param>
    private async Task<ScenarioResult> RunModeAsync(ScenarioContext context, string? postgresConnection)
    {
        var postgres = postgresConnection is not null;
        var name = postgres ? "journal-pg-server" : "journal-server";
        await using var server = await context.StartServerAsync(name, postgresConnection: postgresConnection);
        var storage = await ServerProbe.StorageAsync(context, server, postgres);
        var mode = storage == StorageModes.InMemory ? "inmem" : postgres ? "postgresql" : "sqlite";
        var sqlitePath = Path.Combine(context.WorkDir, name + ".db");
        var users = context.Size.JournalUsers;
        context.Log($"journal: {storage}; connecting {users} users");
        var clients = await Runners.ConnectManyAsync(context, "journal users", users, 64, async i =>
        {
            var client = new JournalUser(ScenarioContext.ClientNumber(i));
            await client.ConnectAsync(context.UserSocket(server, ScenarioContext.UserId("jr-", i)), context.Cancel);
            return client;
        });
        try
        {
            Func<Task<long?>> countRows = mode switch
            {
                "sqlite" => () => CountSqliteRows(sqlitePath),
                "postgresql" => () => CountPostgresRows(postgresConnection!),
                _ => () => Task.FromResult<long?>(null),
            };
            var warm = await SessionsAsync(context, Side.A, -1, server, clients, Math.Max(2, context.Size.JournalSendsPerUser / 10), countRows);
            context.Log($"journal: warm-up stored {warm.Operations:N0} events");
            var standalone = Path.Combine(context.WorkDir, "standalone-journal.db");
            var rounds = await AbSchedule.AlternateAsync(
                context.Options.Rounds,
                r => SessionsAsync(context, Side.A, r, server, clients, context.Size.JournalSendsPerUser, countRows),
                r => StandaloneAsync(context, r, mode, standalone, users, RowsPerSend * context.Size.JournalSendsPerUser, context.Size.JournalWindow, postgresConnection),
                (r, side, result) => RoundTripScenario.LogRun(context, "journal", r, side == Side.A ? "sessions" : "standalone", result),
                context.Cancel);

            // The floor under every batching setting: one writer that waits for each commit before the next write.
            var single = await StandaloneAsync(context, -1, mode, standalone, 1, SingleWriterEvents, 1, postgresConnection);
            var singleNote = string.Create(
                CultureInfo.InvariantCulture,
                $"one writer, one write at a time (standalone, {mode}, {SingleWriterEvents} events): {Fmt.Num(single.Throughput, "N0")} events/s — each event waits for its own commit, so this is write latency, not capacity");
            context.Log("journal: " + singleNote);
            var countedAs = mode == "inmem" ? "events shown on the sockets (no SQL journal to count)" : "journal rows (SELECT COUNT(*) FROM journal)";
            return new ScenarioResult(
                Name, Title,
                $"server: {storage}; {users} users each sending {context.Size.JournalSendsPerUser} SMS with {context.Size.JournalWindow} in flight " +
                $"(loopback provider: {RowsPerSend} stored events per send). Sessions' events counted as {countedAs}; latency = send → its `outbound` event. " +
                $"Standalone: `BaselineServers journal --provider {mode}`: {users} persistent actors × {RowsPerSend * context.Size.JournalSendsPerUser} events, " +
                $"{context.Size.JournalWindow} `PersistAsync` in flight each, the server's journal settings (batch 500, parallelism 1 on SQLite / 4 on PostgreSQL, WAL).",
                [AbTable.Build($"journal ({mode}), {users} writers: sessions (A) vs standalone (B)", rounds, "sessions", "standalone", "events")],
                [
                    JournalTargets.NoWorseCheck(mode, AbTable.MedianOf(rounds.Select(r => r.A), r => r.Throughput)),
                    TargetCheck.AtLeast($"sessions / standalone events/s, {mode}", AbTable.ThroughputRatio(rounds), TargetRatio, "0.00", "×"),
                ],
                mode == "inmem" ? ["this build has no SQL persistence: both sides used Akka's in-memory journal, so the numbers say nothing about storage yet", singleNote] : [singleNote]);
        }
        finally
        {
            await Runners.DisposeAllAsync(clients);
        }
    }

    private static async Task<RunResult> SessionsAsync(
        ScenarioContext context, Side side, int round, BenchProcess server, List<JournalUser> clients, int sendsPerUser, Func<Task<long?>> countRows)
    {
        var rowsBefore = await countRows();
        var before = await server.SampleAsync();
        var toolBefore = Runners.ToolCpuMs();
        var log = new LatencyLog();
        var start = Stopwatch.GetTimestamp();
        var deadline = TimeSpan.FromSeconds(context.Size.JournalSeconds);
        var label = round < 0 ? "w" : "r" + round.ToString(CultureInfo.InvariantCulture);
        var done = await Task.WhenAll(clients.Select(c => c.RunAsync(label, sendsPerUser, context.Size.JournalWindow, deadline, log.NewWorker(), context.Cancel)));
        var end = clients.Max(c => c.LastEventAt);
        var seconds = (Math.Max(end, start) - start) / (double)Stopwatch.Frequency;
        var toolCores = (Runners.ToolCpuMs() - toolBefore) / 1000.0 / Math.Max(seconds, 1e-9);
        var after = await server.SampleAsync();
        var rowsAfter = await countRows();
        var visible = done.Sum(d => d.Events);
        var stored = rowsBefore is { } r0 && rowsAfter is { } r1 ? r1 - r0 : visible;
        return new RunResult(
            side, round, stored, seconds, log.Summarize(), ResourceUse.Between(before, after, Math.Max(stored, 1)), toolCores,
            Errors: done.Sum(d => d.Errors), Timeouts: done.Count(d => !d.Finished));
    }

    private static async Task<RunResult> StandaloneAsync(
        ScenarioContext context, int round, string mode, string sqlitePath, int actors, int events, int window, string? postgresConnection)
    {
        var start = new ProcessStartInfo(BenchProcess.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = context.WorkDir,
        };
        foreach (var arg in new[]
                 {
                     context.Artifacts.BaselineDll, "journal", "--provider", mode, "--actors", actors.ToString(CultureInfo.InvariantCulture),
                     "--events", events.ToString(CultureInfo.InvariantCulture),
                     "--window", window.ToString(CultureInfo.InvariantCulture),
                     "--prefix", $"standalone-r{round}-{Guid.NewGuid():N}",
                     "--timeout-seconds", ((int)context.Size.JournalSeconds).ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        if (mode == "sqlite")
        {
            start.ArgumentList.Add("--sqlite-path");
            start.ArgumentList.Add(sqlitePath);
        }
        else if (mode == "postgresql")
        {
            start.ArgumentList.Add("--connection-string");
            start.ArgumentList.Add(postgresConnection ?? throw new InvalidOperationException("a PostgreSQL standalone run needs a connection string"));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the standalone journal test");
        var stdout = process.StandardOutput.ReadToEndAsync(context.Cancel);
        var stderr = process.StandardError.ReadToEndAsync(context.Cancel);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.Cancel);
        limit.CancelAfter(TimeSpan.FromSeconds(context.Size.JournalSeconds + 120));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the standalone journal test did not finish in time");
        }

        var output = await stdout;
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the standalone journal test printed no result (exit {process.ExitCode}):\n{output}\n{await stderr}");
        using var json = JsonDocument.Parse(line["RESULT ".Length..]);
        var root = json.RootElement;
        var stored = root.GetProperty("stored").GetInt64();
        var seconds = root.GetProperty("seconds").GetDouble();
        var cpuMs = root.GetProperty("cpuMs").GetDouble();
        var allocated = root.GetProperty("allocatedBytes").GetInt64();
        var ops = Math.Max(stored, 1);
        return new RunResult(
            Side.B, round, stored, seconds, LatencySummary.Empty,
            new ResourceUse(cpuMs * 1000.0 / ops, allocated / (double)ops, cpuMs / 1000.0 / Math.Max(seconds, 1e-9)), 0,
            Timeouts: root.GetProperty("finished").GetBoolean() ? 0 : 1);
    }

    private static async Task<long?> CountSqliteRows(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString());
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM journal";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static async Task<long?> CountPostgresRows(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM journal", connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    /// <summary>One user's socket: sends with a window of writes in flight, counts the events it is shown.</summary>
    private sealed class JournalUser(string to) : IAsyncDisposable
    {
        private readonly Dictionary<string, long> _sentAt = new(StringComparer.Ordinal);
        private BenchSocket? _socket;
        private SemaphoreSlim? _window;
        private List<double>? _latencies;
        private string _label = "";
        private long _events;
        private long _errors;
        private long _outbound;
        private long _delivered;
        private long _lastEventAt;

        public long LastEventAt => Interlocked.Read(ref _lastEventAt);

        public async Task ConnectAsync(Uri uri, CancellationToken cancel) =>
            _socket = await BenchSocket.ConnectAsync(uri, OnFrame, cancel);

        private void OnFrame(Frame frame, long arrived)
        {
            var mine = frame.ClientRef is not null && frame.ClientRef.StartsWith(Volatile.Read(ref _label), StringComparison.Ordinal);
            if (frame.Type == "error" && mine)
            {
                Interlocked.Increment(ref _errors);
                ReleaseSlot();
                return;
            }

            if (!frame.IsEvent)
            {
                return;
            }

            Interlocked.Increment(ref _events);
            Interlocked.Exchange(ref _lastEventAt, arrived);
            if (frame.Type == "outbound" && mine)
            {
                lock (_sentAt)
                {
                    if (_sentAt.Remove(frame.ClientRef!, out var sent) && _latencies is not null)
                    {
                        LatencyLog.Add(_latencies, sent, arrived);
                    }
                }

                Interlocked.Increment(ref _outbound);
                ReleaseSlot();
            }
            else if (frame.Type == "status" && frame.Status == "delivered")
            {
                Interlocked.Increment(ref _delivered);
            }
        }

        private void ReleaseSlot()
        {
            try
            {
                Volatile.Read(ref _window)?.Release();
            }
            catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
            {
                // A late answer from a finished run.
            }
        }

        /// <summary>Sends <paramref name="sends"/> SMS, then waits (bounded) until each has its outbound event and its delivered status.</summary>
        public async Task<(long Events, long Errors, bool Finished)> RunAsync(
            string label, int sends, int window, TimeSpan deadline, List<double> latencies, CancellationToken cancel)
        {
            var prefix = label + "-";
            Volatile.Write(ref _label, prefix);
            _latencies = latencies;
            Interlocked.Exchange(ref _events, 0);
            Interlocked.Exchange(ref _errors, 0);
            Interlocked.Exchange(ref _outbound, 0);
            Interlocked.Exchange(ref _delivered, 0);
            using var gate = new SemaphoreSlim(window, window);
            Volatile.Write(ref _window, gate);
            var budget = new Budget(sends, deadline, cancel);
            var clock = Stopwatch.StartNew();
            await BoundedLoop.RunAsync(budget, async n =>
            {
                if (!await gate.WaitAsync(deadline - clock.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : deadline - clock.Elapsed, cancel))
                {
                    budget.Stop(StopReason.Time);
                    return;
                }

                var clientRef = prefix + n.ToString(CultureInfo.InvariantCulture);
                lock (_sentAt)
                {
                    _sentAt[clientRef] = Stopwatch.GetTimestamp();
                }

                await _socket!.SendAsync(Frame.Send(to, "Journal " + clientRef, clientRef), cancel);
            });
            var sent = budget.Taken;
            var finished = await BoundedLoop.WaitUntilAsync(
                () => Interlocked.Read(ref _outbound) + Interlocked.Read(ref _errors) >= sent && Interlocked.Read(ref _delivered) >= Interlocked.Read(ref _outbound),
                deadline - clock.Elapsed > TimeSpan.FromSeconds(1) ? deadline - clock.Elapsed : TimeSpan.FromSeconds(1),
                TimeSpan.FromMilliseconds(10),
                cancel);
            Volatile.Write(ref _window, null);
            return (Interlocked.Read(ref _events), Interlocked.Read(ref _errors), finished && sent == sends);
        }

        public async ValueTask DisposeAsync()
        {
            if (_socket is not null)
            {
                await _socket.CloseAsync(TimeSpan.FromSeconds(3));
                await _socket.DisposeAsync();
            }
        }
    }
}
