namespace MessagingServer.ProfileReport;

/// <summary>
/// The parts of the server a profile is told in: a stack (or a type) belongs to the first component whose mark it
/// contains, looking from the leaf up, so a sample counts where the time was spent, not where the request began.
/// </summary>
public static class Components
{
    public const string Other = "other (runtime, thread pool, BCL)";

    public const string Gc = "GC and allocation";

    public const string Jit = "JIT compiler";

    public static readonly IReadOnlyList<(string Name, string[] Marks)> Cpu =
    [
        ("thread-pool workers spinning for work", ["LowLevelLifoSemaphore.Wait("]),
        ("SQLite (native step/prepare)", ["SQLitePCL", "ISQLite3Provider", "libe_sqlite3"]),
        ("Microsoft.Data.Sqlite", ["Microsoft.Data.Sqlite"]),
        ("PostgreSQL client (Npgsql)", ["Npgsql"]),
        ("Akka.Remote (cluster hops: serializers, transport)", ["Akka.Remote", "DotNetty", "Cluster.Serialization"]),
        ("linq2db (SQL text, mapping, query translation)", ["LinqToDB"]),
        ("Akka.Persistence.Sql (journal batches, DAO)", ["Akka.Persistence.Sql"]),
        ("Akka.Persistence (persist, recovery)", ["Akka.Persistence"]),
        ("Akka.Streams (socket graphs, replay streams)", ["Akka.Streams"]),
        ("JSON (frames, events, payloads)", ["System.Text.Json", "ServerFrames", "ClientRequestParser"]),
        ("Akka actors (ask, dispatch, serialization, sharding)", ["Akka."]),
        ("Kestrel, WebSockets, sockets, pipes", ["Microsoft.AspNetCore", "System.Net.WebSockets", "System.Net.Sockets", "System.IO.Pipelines"]),
        ("logging and metrics", ["Serilog.Sinks", "Serilog.Formatting", "Serilog.Core", "OpenTelemetry", "System.Diagnostics.Metrics"]),
        ("MessagingServer (own code)", ["MessagingServer"]),
        (Gc, ["System.GC.", "AllocateNewArray", "InternalAlloc", "SVR.gc_heap", "WKS.gc_heap", "SVR.GCHeap", "WKS.GCHeap"]),
        (Jit, ["libclrjit.so"]),
    ];

    /// <summary>Leaf frames of a thread that is blocked, not running: such samples are not CPU.</summary>
    public static readonly IReadOnlyList<string> Waits =
    [
        "Monitor.Wait", "WaitNative", "WaitOneNoCheck", "WaitForSocketEvents", "Thread.Sleep", "SleepInternal", "WaitOneCore",
        "WaitMultiple", "PollGCWorker", "DefineEventPipeEvents", "EventPipeInternal", "SocketAsyncEngine.EventLoop",
        "WorkerThread.WorkerThreadStart", "TimerQueue.TimerThread", "WaitHandle.Wait", "LowLevelLifoSemaphore.WaitForSignal",
    ];

    public static string Of(IEnumerable<string> framesFromLeaf, bool allocation = false)
    {
        ArgumentNullException.ThrowIfNull(framesFromLeaf);
        foreach (var frame in framesFromLeaf)
        {
            foreach (var (name, marks) in Cpu)
            {
                if (allocation && name == Gc)
                {
                    continue;
                }

                if (Marks(frame, marks))
                {
                    return name;
                }
            }
        }

        return Other;
    }

    /// <summary>Whether a frame carries one of a component's marks.</summary>
    public static bool Marks(string frame, string[] marks) => marks.Any(m => frame.Contains(m, StringComparison.Ordinal));

    public static bool IsWait(string firstManagedFrame) => Waits.Any(w => firstManagedFrame.Contains(w, StringComparison.Ordinal));
}
