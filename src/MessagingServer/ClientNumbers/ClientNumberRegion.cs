using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Pattern;

namespace MessagingServer.ClientNumbers;

/// <summary>
/// The key the client number region is registered under: inject <c>IRequiredActor&lt;ClientNumberRegistry&gt;</c>
/// (or read <c>ActorRegistry</c>) and send it any <see cref="IWithClientNumber"/>.
/// </summary>
public sealed class ClientNumberRegistry
{
    public const string RegionName = "client-numbers";

    private ClientNumberRegistry()
    {
    }
}

/// <summary>Registers the client number region: shards by E.164 number, coordinator state in DData, no remembered entities.</summary>
public static class ClientNumberRegion
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    public static AkkaConfigurationBuilder WithClientNumberRegion(
        this AkkaConfigurationBuilder builder, int shards, ClientNumberOptions options, TimeProvider clock) =>
        builder.WithShardRegion<ClientNumberRegistry>(
            ClientNumberRegistry.RegionName,
            (_, _) => number => Supervised(number, ClientNumberActor.Props(number, options, clock)),
            new ClientNumberMessageExtractor(shards),
            new ShardOptions
            {
                // Remember-entities is broken on this feed (STACK.md), and an idle number has nothing to do.
                RememberEntities = false,
                StateStoreMode = StateStoreMode.DData,
                // The entity asks to passivate itself after ClientNumberOptions.IdleAfter (a receive timeout).
                ShouldPassivateIdleEntities = false,
                // Not PoisonPill: the entity stops after its write in flight (akka.net #7090).
                HandOffStopMessage = ClientNumberActor.Stop.Instance,
            });

    /// <summary>
    /// A client number whose storage fails stops; it is started again after a growing back-off (200 ms to 10 s), and
    /// meanwhile every question is answered "unavailable" at once.
    /// </summary>
    public static Props Supervised(string clientNumber, Props entity) =>
        BackoffSupervisor.Props(
            Backoff.OnStop(entity, "number", MinBackoff, MaxBackoff, randomFactor: 0.2, maxNrOfRetries: -1)
                .WithFinalStopMessage(message => message is ClientNumberActor.Stop)
                .WithReplyWhileStopped(new Status.Failure(new ClientNumberUnavailableException(clientNumber, "storage is unavailable; retry shortly"))));
}

/// <summary>Every <see cref="IWithClientNumber"/> goes to the entity of its number, in one of a fixed number of shards.</summary>
public sealed class ClientNumberMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        IWithClientNumber command => command.ClientNumber,
        _ => null,
    };
}
