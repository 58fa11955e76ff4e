using Akka.Actor;
using MessagingServer.Observability;
using MessagingServer.Routing;

namespace MessagingServer.Sessions;

/// <summary>
/// What every session needs from the host, resolved once and shared by all sessions. <see cref="ClientNumbers"/> is the
/// client number region: who last wrote to a client, and its consent.
/// </summary>
/// <param name="SenderRegion">The region of <see cref="Senders.SenderActor"/>s that send every SMS (resolved when first used).</param>
/// <param name="SendRate">Each user's send rate limit (<c>Limits:SendsPerSecond</c>, <c>Limits:SendBurst</c>), kept by the user's session; none when null.</param>
/// <param name="Lookups">How sends with a lost provider answer are looked up; without it they stay queued until a report settles them.</param>
/// <param name="WakeIndex">The index that wakes sessions with sends in flight after a crash (the broadcast region); none in specs without one.</param>
public sealed record ChatSessionDependencies(
    Func<IActorRef> SenderRegion,
    SenderNumbers Senders,
    IActorRef ClientNumbers,
    ChatSessionOptions Options,
    TimeProvider Clock,
    MessagingMetrics Metrics,
    int SnapshotEvery = 1000,
    Domain.Sessions.SendRate? SendRate = null,
    SendLookups? Lookups = null,
    Func<IActorRef?>? WakeIndex = null);
