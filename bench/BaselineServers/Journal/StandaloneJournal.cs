using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace MessagingServer.Bench.Baselines.Journal;

/// <summary>
/// The standalone journal write test: <c>--actors</c> persistent actors each store <c>--events</c> events
/// through Akka.Persistence with <c>--window</c> writes in flight (<c>PersistAsync</c>, as the sessions do),
/// on the same journal the server uses (Akka.Persistence.Sql on SQLite in WAL mode or PostgreSQL, with the
/// server's batching settings; or the in-memory journal). Prints one line: <c>RESULT {json}</c>.
/// </summary>
public static class StandaloneJournal
{
    public const string ResultPrefix = "RESULT ";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        JournalArgs options;
        try
        {
            options = JournalArgs.Parse(args);
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync("journal: " + e.Message);
            await output.WriteLineAsync("usage: journal --provider sqlite|postgresql|inmem [--sqlite-path FILE] [--connection-string CS] [--actors N] [--events N] [--window N] [--prefix P] [--timeout-seconds N]");
            return 2;
        }

        if (options.Provider == JournalArgs.Sqlite)
        {
            PrepareSqlite(options.SqlitePath!);
        }

        var config = ConfigurationFactory.ParseString(Hocon(options));
        if (options.Provider != JournalArgs.InMemory)
        {
            config = config.WithFallback(SqlPersistence.DefaultConfiguration);
        }

        var system = ActorSystem.Create("journal-bench", config);
        try
        {
            var progress = new JournalProgress();
            var writers = Enumerable.Range(0, options.Actors)
                .Select(i => system.ActorOf(Props.Create(() => new JournalWriter($"{options.Prefix}-{i}", progress)), $"w{i}"))
                .ToList();

            // Recovery (and, on first use, table creation) happens before the clock starts, as the server's sessions recover
            // at connect; one writer warms the journal up (JIT, connections), as earlier rounds warm the server up.
            var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
            var warmup = system.ActorOf(Props.Create(() => new JournalWriter($"{options.Prefix}-warmup", new JournalProgress())), "warmup");
            await warmup.Ask<JournalWriter.Done>(new JournalWriter.Start(Math.Min(options.Events, 200), options.Window), timeout);
            await Task.WhenAll(writers.Select(w => w.Ask<JournalWriter.Ready>(JournalWriter.Ready.Instance, timeout)));

            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var done = Task.WhenAll(writers.Select(w => w.Ask<JournalWriter.Done>(new JournalWriter.Start(options.Events, options.Window), timeout)));
            var finished = true;
            try
            {
                await done.WaitAsync(timeout);
            }
            catch (Exception e) when (e is TimeoutException or AskTimeoutException)
            {
                finished = false;
            }

            clock.Stop();
            process.Refresh();
            var stored = progress.Stored;
            var result = new JournalResult(
                options.Provider, options.Actors, (long)options.Actors * options.Events, stored, clock.Elapsed.TotalSeconds,
                stored / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), (process.TotalProcessorTime - cpuBefore).TotalMilliseconds,
                GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, finished);
            await output.WriteLineAsync(ResultPrefix + JsonSerializer.Serialize(result, JournalJson.Default.JournalResult));
            return finished ? 0 : 1;
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The server's journal settings (persistence branch, <c>Persistence:Journal</c> defaults).</summary>
    internal static string Hocon(JournalArgs options)
    {
        const string common = """
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.actor.serializers.bench-json = "MessagingServer.Bench.Baselines.Journal.BenchEventSerializer, BaselineServers"
            akka.actor.serialization-bindings."MessagingServer.Bench.Baselines.Journal.BenchEvent, BaselineServers" = bench-json
            akka.actor.serialization-identifiers."MessagingServer.Bench.Baselines.Journal.BenchEventSerializer, BaselineServers" = 9901

            """;
        if (options.Provider == JournalArgs.InMemory)
        {
            return common + """akka.persistence.journal.plugin = "akka.persistence.journal.inmem" """;
        }

        var (providerName, connectionString, parallelism) = options.Provider == JournalArgs.Sqlite
            ? ("SQLite.MS", new SqliteConnectionStringBuilder { DataSource = options.SqlitePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString(), 1)
            : ("PostgreSQL.15", options.ConnectionString!, 4);
        return common + string.Create(CultureInfo.InvariantCulture, $$"""
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              provider-name = {{Quote(providerName)}}
              connection-string = {{Quote(connectionString)}}
              table-mapping = default
              auto-initialize = on
              batch-size = 500
              db-round-trip-max-batch-size = 1000
              parallelism = {{parallelism}}
              buffer-size = 20000
              replay-batch-size = 1000
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql {
              provider-name = {{Quote(providerName)}}
              connection-string = {{Quote(connectionString)}}
              table-mapping = default
              auto-initialize = on
            }
            """);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>WAL mode, as the server's persistence sets it before the journal opens the file.</summary>
    private static void PrepareSqlite(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteScalar();
    }
}

internal sealed class JournalProgress
{
    private long _stored;

    public long Stored => Interlocked.Read(ref _stored);

    public void Add() => Interlocked.Increment(ref _stored);
}

public sealed record JournalResult(
    string Mode, int Actors, long Events, long Stored, double Seconds, double EventsPerSecond, double CpuMs, long AllocatedBytes, bool Finished);
