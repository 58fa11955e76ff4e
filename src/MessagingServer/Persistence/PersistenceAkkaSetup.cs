using System.Data.Common;
using System.Globalization;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Persistence;

/// <summary>Akka.Persistence on the configured database, with our serializer for everything stored.</summary>
internal static class PersistenceAkkaSetup
{
    /// <summary>
    /// Binds <see cref="ISessionEvent"/> and <see cref="IStoredState"/> to <see cref="StoredJsonSerializer"/>, so
    /// nothing of ours is ever stored through Akka's default (Newtonsoft) serializer.
    /// </summary>
    public static AkkaConfigurationBuilder WithStoredJsonSerializer(this AkkaConfigurationBuilder builder, StoredTypeRegistry types) =>
        builder.WithCustomSerializer(
            StoredJsonSerializer.Name,
            [typeof(ISessionEvent), typeof(IStoredState)],
            system => new StoredJsonSerializer(system, types));

    /// <summary>
    /// Akka.Persistence.Sql's journal, snapshot store and read journal (<c>akka.persistence.query.journal.sql</c>)
    /// through its Hosting package, as the default plugins, on Akka.Persistence.Sql's own table layout
    /// (<c>journal</c>, <c>tags</c>, <c>snapshot</c>); tables are created on first use.
    /// </summary>
    public static AkkaConfigurationBuilder WithMessagingSqlPersistence(
        this AkkaConfigurationBuilder builder, StorageDatabase database, PersistenceOptions options)
    {
        var (journal, snapshots) = PluginOptions(database, options);
        return builder
            .WithSqlPersistence(journal, snapshots)
            .AddHocon(JournalTuning.For(journal, snapshots, options.Journal, database.Provider), HoconAddMode.Prepend);
    }

    /// <summary>The journal's and the snapshot store's options: one database, one way to connect to it.</summary>
    public static (SqlJournalOptions Journal, SqlSnapshotOptions Snapshots) PluginOptions(StorageDatabase database, PersistenceOptions options)
    {
        var dataOptions = database.Provider == StorageProvider.Sqlite ? SqliteDataOptions(database, options.SqliteBusyTimeout) : null;
        var journal = new SqlJournalOptions(isDefaultPlugin: true)
        {
            ConnectionString = database.ConnectionString,
            ProviderName = database.ProviderName,
            ReadIsolationLevel = database.ReadIsolationLevel,
            DataOptions = dataOptions,
            AutoInitialize = true,
        };
        var snapshots = new SqlSnapshotOptions(isDefaultPlugin: true)
        {
            ConnectionString = database.ConnectionString,
            ProviderName = database.ProviderName,
            ReadIsolationLevel = database.ReadIsolationLevel,
            DataOptions = dataOptions,
            AutoInitialize = true,
        };
        return (journal, snapshots);
    }

    /// <summary>
    /// How Akka.Persistence.Sql opens SQLite connections (the Hosting package hands these options to the journal,
    /// the read journal and the snapshot store):
    /// <list type="bullet">
    /// <item>Microsoft.Data.Sqlite's "async" methods run synchronously, so without a real hop the journal's whole
    /// write runs inline in its write stream: every queued event is written alone, one transaction (one fsync)
    /// each, and nothing is ever batched. Yielding before each connection opens lets writes queue up meanwhile,
    /// so the next transaction carries all of them (measured: about ten times the events per second with
    /// hundreds of actors persisting at once).</item>
    /// <item>SQLite's own <c>busy_timeout</c>: a writer that finds the file locked (the journal and the snapshot
    /// store are two writers) waits in small steps inside SQLite, instead of Microsoft.Data.Sqlite's retry
    /// loop that sleeps 150 ms at a time.</item>
    /// </list>
    /// </summary>
    private static DataOptions SqliteDataOptions(StorageDatabase database, TimeSpan busyTimeout)
    {
        var pragma = string.Create(
            CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};");
        void SetBusyTimeout(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }

        return new DataOptions()
            .UseConnectionString(database.ProviderName, database.ConnectionString)
            .UseBeforeConnectionOpened(_ => { }, async (_, _) => await Task.Yield())
            .UseAfterConnectionOpened(
                SetBusyTimeout,
                (connection, _) =>
                {
                    SetBusyTimeout(connection);
                    return Task.CompletedTask;
                });
    }
}
