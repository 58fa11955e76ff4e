using Akka.Actor;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>
/// Every <c>Persistence</c> setting reaches the plugins that Akka.Persistence.Sql.Hosting sets up: the journal, its
/// read side and the snapshot store, as the running server's actor system sees them.
/// </summary>
public sealed class PluginSettingsSpecs : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        ["Persistence:Journal:BatchSize"] = "250",
        ["Persistence:Journal:BufferSize"] = "1234",
        ["Persistence:Journal:ReplayBatchSize"] = "77",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void The_sqlite_journal_read_journal_and_snapshot_store_get_the_configured_settings()
    {
        var system = _server.Services.GetRequiredService<ActorSystem>();
        var config = system.Settings.Config;

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        var journal = config.GetConfig("akka.persistence.journal.sql");
        Assert.StartsWith("Akka.Persistence.Sql.Journal.SqlWriteJournal", journal.GetString("class"), StringComparison.Ordinal);
        Assert.Equal("SQLite.MS", journal.GetString("provider-name"));
        Assert.Equal(250, journal.GetInt("batch-size"));
        Assert.Equal(1000, journal.GetInt("db-round-trip-max-batch-size"));
        Assert.Equal(1, journal.GetInt("parallelism"));
        Assert.Equal(1234, journal.GetInt("buffer-size"));
        Assert.Equal(77, journal.GetInt("replay-batch-size"));
        Assert.Equal("read-uncommitted", journal.GetString("read-isolation-level"));
        Assert.Equal("default", journal.GetString("table-mapping"));

        var query = config.GetConfig("akka.persistence.query.journal.sql");
        Assert.Equal("akka.persistence.journal.sql", query.GetString("write-plugin"));
        Assert.Equal(77, query.GetInt("max-buffer-size"));
        Assert.Equal("read-uncommitted", query.GetString("read-isolation-level"));

        var snapshots = config.GetConfig("akka.persistence.snapshot-store.sql");
        Assert.StartsWith("Akka.Persistence.Sql.Snapshot.SqlSnapshotStore", snapshots.GetString("class"), StringComparison.Ordinal);
        Assert.Equal("read-uncommitted", snapshots.GetString("read-isolation-level"));

        Assert.IsType<MessagingServer.Persistence.StoredJsonSerializer>(system.Serialization.FindSerializerForType(typeof(MessagingServer.Domain.Messages.CursorAcked)));
    }
}
