namespace MessagingServer.Persistence;

/// <summary>
/// <c>Persistence:Journal</c>: how Akka.Persistence.Sql groups the writes of all persistent actors. Writes that
/// arrive while a transaction is running are queued and go into the next one, so many actors persisting at
/// once cost one commit (one fsync) per batch instead of one per event.
/// </summary>
public sealed class JournalWriteOptions
{
    /// <summary>Rows written in one transaction at most (<c>batch-size</c>); a larger <c>PersistAll</c> still goes in one.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Transactions in flight at once (<c>parallelism</c>). Unset: 1 for SQLite (one writer at a time is all a
    /// SQLite file allows, more only wait on its lock) and 4 for PostgreSQL.
    /// </summary>
    public int? Parallelism { get; set; }

    /// <summary>Writes waiting for a transaction at most (<c>buffer-size</c>); past that a write fails at once.</summary>
    public int BufferSize { get; set; } = 20_000;

    /// <summary>Events read per query while an actor recovers (<c>replay-batch-size</c>).</summary>
    public int ReplayBatchSize { get; set; } = 1000;

    /// <summary>
    /// How long the journal and the snapshot store fail fast once their circuit breaker has opened (after 10 failed
    /// calls in a row, e.g. the database is down) before they try the database again (<c>circuit-breaker.reset-timeout</c>).
    /// Akka's 30 s kept every session down half a minute after the database was back, a minute when the first try
    /// after a restart met a dead connection; each try is one call, so a short wait costs the database nothing.
    /// </summary>
    public TimeSpan CircuitBreakerResetTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int ParallelismFor(StorageProvider provider) =>
        Parallelism ?? (provider == StorageProvider.Sqlite ? 1 : 4);
}
