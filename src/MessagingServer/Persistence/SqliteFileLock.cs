namespace MessagingServer.Persistence;

/// <summary>
/// One server per SQLite file: an exclusive OS lock on <c>{file}.lock</c>, held for the life of the process (of
/// the host, in tests). Two servers on one file failed each other's writes; now the second refuses to start.
/// The lock is the OS's (an exclusive open, <c>flock</c> on Linux), not the file's existence: a server killed
/// with SIGKILL loses it with its process, so the file it leaves behind never blocks a restart.
/// </summary>
public sealed class SqliteFileLock : IDisposable
{
    private readonly Lock _gate = new();
    private FileStream? _held;

    /// <summary>Takes the lock for the database at <paramref name="databasePath"/>, or throws <see cref="StorageLockedException"/>.</summary>
    public void Acquire(string databasePath)
    {
        var lockPath = databasePath + ".lock";
        lock (_gate)
        {
            if (_held is not null)
            {
                return;
            }

            if (Path.GetDirectoryName(lockPath) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            try
            {
                _held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not DirectoryNotFoundException and not FileNotFoundException and not PathTooLongException)
            {
                // The open fails this way when another process (or host) holds the file open exclusively.
                throw new StorageLockedException(
                    $"Persistence:SqlitePath {databasePath} is in use by another server process (it holds {lockPath}). " +
                    "Stop that server, or give this one a data directory of its own; several servers share storage only through Persistence:Provider=PostgreSql.",
                    e);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }
}

/// <summary>The SQLite file is locked by another server process: the server cannot start.</summary>
public sealed class StorageLockedException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>This exception in <paramref name="error"/> or anything it wraps (start-up wraps it on its way out), or null.</summary>
    public static StorageLockedException? Find(Exception? error) => error switch
    {
        null => null,
        StorageLockedException locked => locked,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find).FirstOrDefault(e => e is not null),
        _ => Find(error.InnerException),
    };
}
