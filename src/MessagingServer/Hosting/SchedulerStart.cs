using Akka.Actor;

namespace MessagingServer.Hosting;

/// <summary>
/// Starts Akka's scheduler while the server starts, before it takes traffic.
/// <para>
/// The scheduler (Akka 1.5.74 on .NET 6+) starts its timer loop on first use: the first caller queues the loop
/// with <c>Task.Run</c> and blocks until it runs. On a thread-pool thread that work item goes to the caller's own
/// local queue, which other threads steal from only when the global queue is empty. When a burst of persistent
/// actors start recovering at once (each schedules its recovery timeout) — a reconnect storm after a restart —
/// every pool thread took one of them and blocked the same way, and the whole process stalled until the pool
/// had grown past the burst: 5 to 30 seconds on two cores, caught with stack dumps in CI. Called from a thread
/// of its own, the loop is queued on the global queue and starts at once, and later callers never wait.
/// </para>
/// </summary>
internal static class SchedulerStart
{
    public static void Run(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var starter = new Thread(() => system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { }))
        {
            IsBackground = true,
            Name = "akka-scheduler-start",
        };
        starter.Start();
        starter.Join();
    }
}
