using MessagingServer.Observability;
using MessagingServer.Routing;
using MessagingServer.Sms;

namespace MessagingServer.Sessions;

/// <summary>What every session needs from the host, resolved once and shared by all sessions.</summary>
public sealed record ChatSessionDependencies(
    IClientMessagingService Sms,
    SenderNumbers Senders,
    ClientDirectory Directory,
    ChatSessionOptions Options,
    TimeProvider Clock,
    MessagingMetrics Metrics,
    int SnapshotEvery = 1000);
