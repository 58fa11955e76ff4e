using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>Prints the PostgreSQL journal's throughput (see <see cref="JournalThroughput"/>); run alone for meaningful numbers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalThroughputProbe(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Prints_events_per_second_for_one_and_for_many_concurrent_persistent_actors()
    {
        if (!postgres.IsRunning)
        {
            await postgres.StartAsync();
        }

        var settings = SqliteJournalThroughputProbe.ProbeSettings(new()
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["ConnectionStrings:Messaging"] = await postgres.CreateDatabaseAsync("throughput"),
        });
        await using var server = await RunningServer.StartAsync(settings);

        await JournalThroughput.MeasureAsync(server, output, "PostgreSQL warm-up", 20, 10);
        await JournalThroughput.MeasureAsync(server, output, "PostgreSQL one actor", 1, 200);
        await JournalThroughput.MeasureAsync(server, output, "PostgreSQL many actors", JournalThroughput.Actors, JournalThroughput.EventsPerActor);
    }
}
