using Akka.Actor;

namespace MessagingServer.Broadcasts;

/// <summary>
/// What every broadcast needs from the host. <see cref="SendInterval"/> is the sender number's pace
/// (<c>1 / Twilio:MessagesPerSecond</c>, zero on the loopback provider): a broadcast hands no faster than its sender sends.
/// </summary>
public sealed record BroadcastDependencies(
    Func<IActorRef> Sessions,
    Func<IActorRef> Broadcasts,
    BroadcastOptions Options,
    TimeSpan SendInterval,
    TimeProvider Clock,
    Observability.MessagingMetrics? Metrics = null);
