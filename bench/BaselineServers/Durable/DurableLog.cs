using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace MessagingServer.Bench.Baselines.Durable;

/// <summary>
/// The physical limit of durability on this machine, for the durable baselines: one shared writer that stores rows
/// shaped like the server's journal rows in SQLite (WAL, SQLite's default synchronous setting, as the server runs it),
/// with group commit: every append waiting when a batch starts goes into one transaction through prepared
/// statements, and each append completes once its transaction has committed.
/// </summary>
public sealed class DurableLog : IDisposable
{
    private const int MaxBatch = 1024;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private readonly string _connectionString;

    public DurableLog(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        using (var connection = Open())
        {
            using var create = connection.CreateCommand();
            create.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS journal (
                  ordering INTEGER PRIMARY KEY AUTOINCREMENT,
                  persistence_id TEXT NOT NULL,
                  sequence_number INTEGER NOT NULL,
                  created INTEGER NOT NULL,
                  manifest TEXT NOT NULL,
                  payload BLOB NOT NULL,
                  UNIQUE (persistence_id, sequence_number));
                """;
            create.ExecuteNonQuery();
        }

        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "durable-log" };
        _writer.Start();
    }

    /// <summary>Rows written so far (all committed).</summary>
    public long Rows => Interlocked.Read(ref _rows);

    private long _rows;

    /// <summary>Stores <paramref name="rows"/> for <paramref name="persistenceId"/> from <paramref name="firstSeq"/> on; completes after the commit.</summary>
    public Task AppendAsync(string persistenceId, long firstSeq, IReadOnlyList<(string Manifest, byte[] Payload)> rows)
    {
        var pending = new Pending(persistenceId, firstSeq, rows, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException(new ObjectDisposedException(nameof(DurableLog)));
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Join(TimeSpan.FromSeconds(10));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private void WriteLoop()
    {
        using var connection = Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO journal (persistence_id, sequence_number, created, manifest, payload) VALUES ($pid, $seq, $created, $manifest, $payload)";
        var pid = insert.Parameters.Add("$pid", SqliteType.Text);
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var created = insert.Parameters.Add("$created", SqliteType.Integer);
        var manifest = insert.Parameters.Add("$manifest", SqliteType.Text);
        var payload = insert.Parameters.Add("$payload", SqliteType.Blob);
        insert.Prepare();
        var batch = new List<Pending>(MaxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                foreach (var append in batch)
                {
                    for (var i = 0; i < append.Rows.Count; i++)
                    {
                        (pid.Value, seq.Value, created.Value) = (append.PersistenceId, append.FirstSeq + i, DateTime.UtcNow.Ticks);
                        (manifest.Value, payload.Value) = (append.Rows[i].Manifest, append.Rows[i].Payload);
                        insert.ExecuteNonQuery();
                    }
                }

                transaction.Commit();
                Interlocked.Add(ref _rows, batch.Sum(b => b.Rows.Count));
                batch.ForEach(b => b.Done.TrySetResult());
            }
            catch (SqliteException e)
            {
                batch.ForEach(b => b.Done.TrySetException(e));
            }
        }
    }

    private sealed record Pending(string PersistenceId, long FirstSeq, IReadOnlyList<(string Manifest, byte[] Payload)> Rows, TaskCompletionSource Done);
}
