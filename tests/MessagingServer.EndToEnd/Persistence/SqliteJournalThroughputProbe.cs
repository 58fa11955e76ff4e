using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>Prints the SQLite journal's throughput (see <see cref="JournalThroughput"/>); run alone for meaningful numbers.</summary>
public sealed class SqliteJournalThroughputProbe(ITestOutputHelper output)
{
    [Fact]
    public async Task Prints_events_per_second_for_one_and_for_many_concurrent_persistent_actors()
    {
        await using var server = await RunningServer.StartAsync(ProbeSettings());

        await JournalThroughput.MeasureAsync(server, output, "SQLite warm-up", 20, 10);
        await JournalThroughput.MeasureAsync(server, output, "SQLite one actor", 1, 200);
        await JournalThroughput.MeasureAsync(server, output, "SQLite many actors", JournalThroughput.Actors, JournalThroughput.EventsPerActor);
    }

    /// <summary><c>PROBE_BATCH</c> overrides the journal's batch size, to compare settings by hand.</summary>
    public static Dictionary<string, string?> ProbeSettings(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        if (Environment.GetEnvironmentVariable("PROBE_BATCH") is { Length: > 0 } batch)
        {
            settings["Persistence:Journal:BatchSize"] = batch;
        }

        if (Environment.GetEnvironmentVariable("PROBE_PARALLELISM") is { Length: > 0 } parallelism)
        {
            settings["Persistence:Journal:Parallelism"] = parallelism;
        }

        return settings;
    }
}
