using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MessagingServer.Persistence;

/// <summary>
/// The configured database, resolved once: what Akka.Persistence.Sql connects with (linq2db provider name and
/// connection string), a description for logs and health reports (never a password), and a cheap probe.
/// </summary>
internal sealed class StorageDatabase
{
    /// <summary>linq2db's name for Microsoft.Data.Sqlite.</summary>
    public const string SqliteProviderName = "SQLite.MS";

    /// <summary>linq2db's newest PostgreSQL dialect; newer servers speak it too.</summary>
    public const string PostgreSqlProviderName = "PostgreSQL.15";

    private readonly string _probeConnectionString;

    private StorageDatabase(
        StorageProvider provider, string providerName, string connectionString, string probeConnectionString, string description, string? sqlitePath)
    {
        Provider = provider;
        ProviderName = providerName;
        ConnectionString = connectionString;
        _probeConnectionString = probeConnectionString;
        Description = description;
        SqlitePath = sqlitePath;
    }

    public StorageProvider Provider { get; }

    public string ProviderName { get; }

    /// <summary>What the journal and the snapshot store connect with.</summary>
    public string ConnectionString { get; }

    /// <summary>e.g. <c>SQLite /srv/data/messaging.db</c> or <c>PostgreSQL db:5432/messaging</c>: for logs, never for anonymous callers.</summary>
    public string Description { get; }

    /// <summary><c>SQLite</c> or <c>PostgreSQL</c>: what readiness names, with no path, host or port.</summary>
    public string Kind => Provider == StorageProvider.Sqlite ? "SQLite" : "PostgreSQL";

    /// <summary>
    /// Akka.Persistence.Sql's <c>read-isolation-level</c>. On SQLite, Microsoft.Data.Sqlite starts every other
    /// transaction with <c>BEGIN IMMEDIATE</c>, which takes the write lock: reads (recoveries) would queue behind
    /// each other and behind writes, retrying every 150 ms. <c>read-uncommitted</c> makes it a plain deferred
    /// <c>BEGIN</c>; without a shared cache SQLite still reads a consistent WAL snapshot, never uncommitted rows.
    /// </summary>
    public IsolationLevel ReadIsolationLevel => Provider == StorageProvider.Sqlite ? IsolationLevel.ReadUncommitted : IsolationLevel.Unspecified;

    /// <summary>The SQLite file's full path; null for PostgreSQL.</summary>
    public string? SqlitePath { get; }

    public static StorageDatabase From(PersistenceOptions options) => options.Provider switch
    {
        StorageProvider.Sqlite => ForSqlite(options),
        StorageProvider.PostgreSql => ForPostgreSql(options),
        _ => throw new InvalidOperationException($"unknown storage provider {options.Provider}"),
    };

    /// <summary>
    /// A fresh, unpooled connection for the readiness probe: a pooled one could be a dead socket from before a
    /// database restart, and an SQLite probe must not create a file that has gone.
    /// </summary>
    public DbConnection CreateProbeConnection() => Provider == StorageProvider.Sqlite
        ? new SqliteConnection(_probeConnectionString)
        : new NpgsqlConnection(_probeConnectionString);

    /// <summary>
    /// Closes the journal's idle pooled connections. After a PostgreSQL restart every idle pooled connection is a
    /// dead socket that fails the next command once; the health check calls this when the database fails to
    /// answer, so that the journal reconnects afresh once it is back.
    /// </summary>
    public void ClearPooledConnections()
    {
        if (Provider == StorageProvider.Sqlite)
        {
            using var sqlite = new SqliteConnection(ConnectionString);
            SqliteConnection.ClearPool(sqlite);
        }
        else
        {
            using var postgres = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(postgres);
        }
    }

    /// <summary>Cheap, and on SQLite it reads the file's first page, so a missing or unreadable file fails.</summary>
    public string ProbeQuery => Provider == StorageProvider.Sqlite ? "SELECT count(*) FROM sqlite_schema" : "SELECT 1";

    private static StorageDatabase ForSqlite(PersistenceOptions options)
    {
        var path = options.SqlitePath;
        var journal = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database until this many seconds have passed.
            DefaultTimeout = Seconds(options.SqliteBusyTimeout),
        };
        var probe = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = Seconds(options.HealthCheckTimeout),
        };
        return new StorageDatabase(
            StorageProvider.Sqlite, SqliteProviderName, journal.ToString(), probe.ToString(), $"SQLite {path}", path);
    }

    private static StorageDatabase ForPostgreSql(PersistenceOptions options)
    {
        var configured = options.ConnectionString
            ?? throw new InvalidOperationException($"ConnectionStrings:{PersistenceOptions.ConnectionStringName} is missing");
        var journal = new NpgsqlConnectionStringBuilder(configured);
        var probe = new NpgsqlConnectionStringBuilder(configured)
        {
            Pooling = false,
            Timeout = Math.Max(1, Seconds(options.HealthCheckTimeout)),
            CommandTimeout = Math.Max(1, Seconds(options.HealthCheckTimeout)),
        };
        var where = string.Create(
            CultureInfo.InvariantCulture, $"PostgreSQL {journal.Host}:{journal.Port}/{journal.Database ?? journal.Username}");
        return new StorageDatabase(
            StorageProvider.PostgreSql, PostgreSqlProviderName, journal.ConnectionString, probe.ConnectionString, where, sqlitePath: null);
    }

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds);
}
