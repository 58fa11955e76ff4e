using MessagingServer.Observability;
using MessagingServer.Routing;
using Akka.Actor;

namespace MessagingServer.Sessions;

/// <summary>What every session needs from the host, resolved once and shared by all sessions.</summary>
/// <param name="SenderRegion">The region of <see cref="Senders.SenderActor"/>s that send every SMS (resolved when first used).</param>
public sealed record ChatSessionDependencies(
    Func<IActorRef> SenderRegion,
    SenderNumbers Senders,
    ClientDirectory Directory,
    ChatSessionOptions Options,
    TimeProvider Clock,
    MessagingMetrics Metrics,
    int SnapshotEvery = 1000);
