using Akka.Hosting;
using MessagingServer.Hosting;
using Microsoft.Extensions.Options;

namespace MessagingServer.Persistence;

/// <summary>Adds persistence to the actor system, after locking and readying an SQLite file (it runs before the journal exists).</summary>
internal sealed class PersistenceAkkaContributor(
    IOptions<PersistenceOptions> options, StorageDatabase database, SqliteFileLock fileLock, ILogger<PersistenceAkkaContributor> logger) : IAkkaContributor
{
    public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        if (database.SqlitePath is { } path)
        {
            fileLock.Acquire(path);
            SqliteDatabaseFile.Prepare(path, logger);
        }

        builder
            .WithStoredJsonSerializer(provider.GetRequiredService<StoredTypeRegistry>())
            .WithMessagingSqlPersistence(database, options.Value);
    }
}
