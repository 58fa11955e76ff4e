using Akka.Actor;
using MessagingServer.Sms;

namespace MessagingServer.Senders;

/// <summary>What every sender needs from the host.</summary>
/// <param name="Sessions">The session region (resolved when first used: the regions start in any order).</param>
public sealed record SenderDependencies(
    IClientMessagingService Provider, SenderLimits Limits, TimeProvider Clock, Func<IActorRef> Sessions, ILoggerFactory Logs);
