using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MessagingServer.Persistence;

/// <summary>
/// The readiness check's write: one row of its own table (<c>messaging_health_probe</c>, created on first use)
/// is rewritten in its own short transaction. A read alone said "healthy" while every journal write failed with
/// "database or disk is full"; this fails exactly when a small write fails (disk full, read-only file or
/// database, a standby). The same SQL runs on SQLite and PostgreSQL.
/// </summary>
internal static class StorageWriteProbe
{
    public const string Table = "messaging_health_probe";

    private const string Sql =
        "CREATE TABLE IF NOT EXISTS " + Table + " (id INTEGER PRIMARY KEY, checked_at BIGINT NOT NULL);" +
        "INSERT INTO " + Table + " (id, checked_at) VALUES (1, @at) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at;";

    public static async Task WriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        var at = command.CreateParameter();
        at.ParameterName = "@at";
        at.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        command.Parameters.Add(at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A reason that tells an operator what failed without naming a path, a host or a port: the database's own error code.</summary>
    public static string ShortReason(Exception e) => e switch
    {
        SqliteException sqlite => string.Create(CultureInfo.InvariantCulture, $"SQLite error {sqlite.SqliteErrorCode}{SqliteName(sqlite.SqliteErrorCode)}"),
        PostgresException postgres => $"PostgreSQL error {postgres.SqlState}",
        NpgsqlException => "PostgreSQL connection failed",
        TimeoutException => "timed out",
        _ => e.GetType().Name,
    };

    private static string SqliteName(int code) => (code & 0xFF) switch
    {
        8 => ": read-only",
        10 => ": I/O error",
        13 => ": disk full",
        14 => ": cannot open the file",
        5 => ": busy",
        _ => "",
    };
}
