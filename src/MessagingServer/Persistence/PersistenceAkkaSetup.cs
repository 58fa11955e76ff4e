using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Persistence;

/// <summary>Akka.Persistence on the configured database, with our serializer for everything stored.</summary>
internal static class PersistenceAkkaSetup
{
    /// <summary>
    /// Binds <see cref="ISessionEvent"/> and <see cref="IStoredState"/> to <see cref="StoredJsonSerializer"/>, so
    /// nothing of ours is ever stored through Akka's default (Newtonsoft) serializer.
    /// </summary>
    public static AkkaConfigurationBuilder WithStoredJsonSerializer(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(
            StoredJsonSerializer.Name,
            [typeof(ISessionEvent), typeof(IStoredState)],
            system => new StoredJsonSerializer(system));

    /// <summary>Akka.Persistence.Sql's journal and snapshot store as the default plugins; tables are created on first use.</summary>
    public static AkkaConfigurationBuilder WithSqlPersistence(
        this AkkaConfigurationBuilder builder, StorageDatabase database, JournalWriteOptions writes)
    {
        builder.WithJournalAndSnapshot(
            new SqlJournalPluginOptions(database, writes),
            new SqlSnapshotPluginOptions(database));
        // The plugin's own defaults (class names, table layouts, the query side) are not loaded without its
        // Hosting package; they go last so that everything above overrides them.
        return builder.AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append);
    }
}
