namespace MessagingServer.Persistence;

/// <summary>
/// The <c>Persistence</c> section: which database holds the journal and the snapshots, and how the journal
/// writes. The PostgreSQL connection string is read from <c>ConnectionStrings:Messaging</c>.
/// </summary>
public sealed class PersistenceOptions
{
    public const string Section = "Persistence";

    /// <summary>The name under <c>ConnectionStrings</c> that holds the PostgreSQL connection string.</summary>
    public const string ConnectionStringName = "Messaging";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The SQLite file. A relative path is taken from the content root; once the options are built this holds
    /// the full path. Its folder is created on first start.
    /// </summary>
    public string SqlitePath { get; set; } = "data/messaging.db";

    /// <summary>How long a SQLite statement waits for another writer's lock before it fails.</summary>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Filled from <c>ConnectionStrings:Messaging</c> (a <c>Persistence:ConnectionString</c> value is ignored),
    /// required when <see cref="Provider"/> is <see cref="StorageProvider.PostgreSql"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    public JournalWriteOptions Journal { get; set; } = new();

    /// <summary>A persistent actor saves a snapshot after this many events, so that recovery replays at most that many.</summary>
    public int SnapshotEvery { get; set; } = 1000;

    /// <summary>How long the <c>storage</c> readiness check waits for the database before it reports it unhealthy.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Readiness requests within this long of the last storage probe share its answer (each probe is a tiny write,
    /// and readiness answers anyone); zero shares only a probe still running.
    /// </summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
