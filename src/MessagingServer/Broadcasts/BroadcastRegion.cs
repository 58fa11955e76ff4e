using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;

namespace MessagingServer.Broadcasts;

/// <summary>The key the broadcast region is registered under: broadcasts (by user and id) and their index.</summary>
public sealed class BroadcastRegistry
{
    public const string RegionName = "broadcasts";

    private BroadcastRegistry()
    {
    }
}

/// <summary>Registers the broadcast region: coordinator state in DData, no remembered entities (the index wakes them).</summary>
public static class BroadcastRegion
{
    public static AkkaConfigurationBuilder WithBroadcastRegion(
        this AkkaConfigurationBuilder builder, int shards, Func<ActorSystem, BroadcastDependencies> dependencies) =>
        builder.WithShardRegion<BroadcastRegistry>(
            BroadcastRegistry.RegionName,
            (system, _) =>
            {
                var shared = dependencies(system);
                return id =>
                {
                    if (id == BroadcastIndexActor.EntityId)
                    {
                        return BroadcastIndexActor.Props(shared.Broadcasts, shared.Sessions);
                    }

                    var separator = id.IndexOf(':', StringComparison.Ordinal);
                    return BroadcastActor.Props(id[..separator], id[(separator + 1)..], shared);
                };
            },
            new BroadcastMessageExtractor(shards),
            new ShardOptions
            {
                RememberEntities = false,
                StateStoreMode = StateStoreMode.DData,
                ShouldPassivateIdleEntities = false,
                // Not PoisonPill: a write in flight finishes first (akka.net #7090).
                HandOffStopMessage = BroadcastActor.Stop.Instance,
            });
}

/// <summary>A broadcast goes to its entity (user:id), index messages to the index.</summary>
public sealed class BroadcastMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        IWithBroadcast command => BroadcastActor.EntityIdFor(command.UserId, command.BroadcastId),
        IForBroadcastIndex => BroadcastIndexActor.EntityId,
        _ => null,
    };
}
