using Akka.Actor;
using Akka.Cluster.Sharding;
using MessagingServer.Senders;
using MessagingServer.Sms;
using Microsoft.Extensions.Logging.Abstractions;

namespace MessagingServer.Tests.Sessions;

/// <summary>The sender region as the server starts it, for session tests: unpaced, calling <paramref name="provider"/>.</summary>
public static class SenderTestRegion
{
    public static IActorRef Start(ActorSystem system, IClientMessagingService provider, Func<IActorRef> sessions, SenderLimits? limits = null, string typeName = SenderRegistry.RegionName)
    {
        var dependencies = new SenderDependencies(provider, limits ?? SenderLimits.Unpaced, TimeProvider.System, sessions, NullLoggerFactory.Instance);
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system).WithRememberEntities(false);
        return sharding.Start(
            typeName,
            sender => SenderActor.Props(sender, dependencies),
            settings,
            new SenderMessageExtractor(10),
            sharding.DefaultShardAllocationStrategy(settings),
            SenderActor.StopSender.Instance);
    }
}
