using Akka.Actor;
using MessagingServer.Observability;
using MessagingServer.Routing;
using MessagingServer.Sms;

namespace MessagingServer.Sessions;

/// <summary>
/// What every session needs from the host, resolved once and shared by all sessions. <see cref="ClientNumbers"/> is the
/// client number region: who last wrote to a client, and its consent.
/// </summary>
public sealed record ChatSessionDependencies(
    IClientMessagingService Sms,
    SenderNumbers Senders,
    IActorRef ClientNumbers,
    ChatSessionOptions Options,
    TimeProvider Clock,
    MessagingMetrics Metrics,
    int SnapshotEvery = 1000);
