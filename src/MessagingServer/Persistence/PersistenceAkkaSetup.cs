using System.Data.Common;
using System.Globalization;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
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

    /// <summary>Akka.Persistence.Sql's journal and snapshot store as the default plugins; tables are created on first use.</summary>
    public static AkkaConfigurationBuilder WithSqlPersistence(
        this AkkaConfigurationBuilder builder, StorageDatabase database, PersistenceOptions options)
    {
        builder.WithJournalAndSnapshot(
            new SqlJournalPluginOptions(database, options.Journal),
            new SqlSnapshotPluginOptions(database));
        if (database.Provider == StorageProvider.Sqlite)
        {
            builder.AddSetup(new DataOptionsSetup(SqliteDataOptions(database, options.SqliteBusyTimeout)));
        }

        // The plugin's own defaults (class names, table layouts, the query side) are not loaded without its
        // Hosting package; they go last so that everything above overrides them.
        return builder.AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append);
    }

    /// <summary>
    /// How Akka.Persistence.Sql opens SQLite connections:
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
