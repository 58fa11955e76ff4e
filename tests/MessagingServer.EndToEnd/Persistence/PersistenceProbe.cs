using Akka.Actor;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>Drives <see cref="JournalProbeActor"/>s inside a running server's actor system.</summary>
public static class PersistenceProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static ActorSystem ActorSystem(this RunningServer server) => server.Services.GetRequiredService<ActorSystem>();

    public static IActorRef StartProbe(this RunningServer server, string persistenceId) =>
        server.ActorSystem().ActorOf(JournalProbeActor.PropsFor(persistenceId));

    public static Task<JournalProbeActor.Contents> ContentsAsync(this IActorRef probe) => probe.ContentsAsync(Timeout);

    /// <summary>
    /// What the probe holds once it has persisted everything it was told to. A probe whose write failed stops
    /// (a persistent actor stops on a journal failure); that fails at once, not after the timeout.
    /// </summary>
    public static async Task<JournalProbeActor.Contents> ContentsAsync(this IActorRef probe, TimeSpan timeout)
    {
        using var stop = new CancellationTokenSource();
        var contents = probe.Ask<JournalProbeActor.Contents>(JournalProbeActor.GetContents.Instance, timeout);
        var terminated = probe.WatchAsync(stop.Token);
        if (await Task.WhenAny(contents, terminated) == terminated && await terminated)
        {
            throw new InvalidOperationException($"{probe.Path} stopped before answering: a write or recovery failed (see the server log)");
        }

        await stop.CancelAsync();
        return await contents;
    }

    public static async Task KillAsync(this IActorRef probe)
    {
        // Kill makes the actor fail (ActorKilledException) and its supervisor stop it: nothing is flushed on the way out.
        await probe.GracefulStop(Timeout, Kill.Instance);
    }
}
