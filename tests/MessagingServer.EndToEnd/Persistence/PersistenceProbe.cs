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

    public static Task<JournalProbeActor.Contents> ContentsAsync(this IActorRef probe) =>
        probe.Ask<JournalProbeActor.Contents>(JournalProbeActor.GetContents.Instance, Timeout);

    public static async Task KillAsync(this IActorRef probe)
    {
        // Kill makes the actor fail (ActorKilledException) and its supervisor stop it: nothing is flushed on the way out.
        await probe.GracefulStop(Timeout, Kill.Instance);
    }
}
