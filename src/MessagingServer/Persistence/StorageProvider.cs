namespace MessagingServer.Persistence;

/// <summary>Where the journal and the snapshots live.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file (<see cref="PersistenceOptions.SqlitePath"/>): one node, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (<c>ConnectionStrings:Messaging</c>): needed once several nodes share the journal.</summary>
    PostgreSql,
}
