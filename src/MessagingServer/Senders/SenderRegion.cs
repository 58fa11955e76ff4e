using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;

namespace MessagingServer.Senders;

/// <summary>
/// The key the sender region is registered under: one <see cref="SenderActor"/> per sender number (or Messaging
/// Service SID) cluster-wide. Inject <c>IRequiredActor&lt;SenderRegistry&gt;</c> and send it any <see cref="IWithSenderKey"/>.
/// </summary>
public sealed class SenderRegistry
{
    public const string RegionName = "senders";

    private SenderRegistry()
    {
    }
}

/// <summary>Registers the sender region: shards by sender, coordinator state in DData, no remembered entities.</summary>
public static class SenderRegion
{
    public static AkkaConfigurationBuilder WithSenderRegion(
        this AkkaConfigurationBuilder builder, int shards, Func<ActorSystem, Func<string, Props>> senderProps) =>
        builder.WithShardRegion<SenderRegistry>(
            SenderRegistry.RegionName,
            (system, _) => senderProps(system),
            new SenderMessageExtractor(shards),
            new ShardOptions
            {
                RememberEntities = false,
                StateStoreMode = StateStoreMode.DData,
                // A sender with sends waiting gets no messages for minutes at a time: it passivates itself once empty.
                ShouldPassivateIdleEntities = false,
                // Not PoisonPill: a call under way finishes and its answer goes to its session first.
                HandOffStopMessage = SenderActor.StopSender.Instance,
            });
}

/// <summary>Every <see cref="IWithSenderKey"/> goes to the sender it names, in one of a fixed number of shards.</summary>
public sealed class SenderMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        IWithSenderKey command => command.Sender,
        _ => null,
    };
}
