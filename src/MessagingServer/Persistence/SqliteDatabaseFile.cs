using Microsoft.Data.Sqlite;

namespace MessagingServer.Persistence;

/// <summary>
/// Readies the SQLite file before the journal opens it: creates its folder, and switches it to write-ahead
/// logging, which SQLite remembers in the file. In WAL mode readers never block the writer and a commit
/// appends to the log instead of rewriting pages, which is most of SQLite's write speed.
/// </summary>
internal static partial class SqliteDatabaseFile
{
    public static void Prepare(string path, ILogger logger)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        if (string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            LogReady(logger, path);
        }
        else
        {
            LogNotWal(logger, path, mode);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: SQLite file {Path} in WAL mode")]
    private static partial void LogReady(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage: SQLite file {Path} refused WAL mode and stays in {JournalMode} mode; writes will be slow")]
    private static partial void LogNotWal(ILogger logger, string path, string? journalMode);
}
