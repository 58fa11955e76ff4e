using Akka.Actor;
using Akka.Cluster.Sharding;
using MessagingServer.ClientNumbers;

namespace MessagingServer.Tests.ClientNumbers;

/// <summary>Starts the client number region in a cluster-of-one test system as the server registers it (entities under back-off).</summary>
internal static class ClientNumberTestRegion
{
    public static IActorRef Start(ActorSystem system, ClientNumberOptions? options = null, TimeProvider? clock = null, string name = ClientNumberRegistry.RegionName)
    {
        options ??= new ClientNumberOptions();
        clock ??= TimeProvider.System;
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system).WithRememberEntities(false);
        return sharding.Start(
            name,
            number => ClientNumberRegion.Supervised(number, ClientNumberActor.Props(number, options, clock)),
            settings,
            new ClientNumberMessageExtractor(10),
            sharding.DefaultShardAllocationStrategy(settings),
            ClientNumberActor.Stop.Instance);
    }
}
