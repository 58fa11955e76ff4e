using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Pattern;

namespace MessagingServer.Sessions;

/// <summary>
/// The registry that supervises every user's <see cref="ChatSessionActor"/>: a Cluster Sharding region, one
/// entity per user, on whichever node the shard lives (a single server is a cluster of one). This type is the key
/// it is registered under; inject <c>IRequiredActor&lt;ChatSessionRegistry&gt;</c> and send it any
/// <see cref="IWithUserId"/>. The region buffers messages for a session that is starting, passivating or moving.
/// </summary>
public sealed class ChatSessionRegistry
{
    public const string RegionName = "sessions";

    private ChatSessionRegistry()
    {
    }

    /// <summary>How many sessions this node's region hosts right now (asks the region).</summary>
    public static async Task<int> CountHostedAsync(IActorRef region, TimeSpan timeout)
    {
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout);
        return state.Shards.Sum(s => s.EntityIds.Count);
    }
}

/// <summary>Registers the session region: shards by user id, coordinator state in DData, no remembered entities.</summary>
public static class ChatSessionRegion
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    public static AkkaConfigurationBuilder WithChatSessionRegion(
        this AkkaConfigurationBuilder builder, int shards, Func<ActorSystem, Func<string, Props>> sessionProps) =>
        builder.WithShardRegion<ChatSessionRegistry>(
            ChatSessionRegistry.RegionName,
            (system, _) =>
            {
                var props = sessionProps(system);
                return userId => Supervised(userId, props(userId));
            },
            new ChatSessionMessageExtractor(shards),
            new ShardOptions
            {
                // Remember-entities is broken on this feed (STACK.md); sockets and sends bring a session back anyway.
                RememberEntities = false,
                StateStoreMode = StateStoreMode.DData,
                // The session passivates itself when it has no socket and no send in flight; sharding's idle timer
                // would stop a session whose sockets are simply quiet.
                ShouldPassivateIdleEntities = false,
                // Not PoisonPill: the session stops once its pending writes and provider calls have finished (akka.net #7090).
                HandOffStopMessage = ChatSessionActor.StopSession.Instance,
            });

    /// <summary>
    /// A session whose storage fails stops; it is started again after a growing back-off (200 ms to 10 s), and
    /// meanwhile every command is answered "unavailable" at once instead of hammering the database.
    /// </summary>
    public static Props Supervised(string userId, Props session, TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null) =>
        BackoffSupervisor.Props(
            Backoff.OnStop(session, "session", minBackoff ?? MinBackoff, maxBackoff ?? MaxBackoff, randomFactor: 0.2, maxNrOfRetries: -1)
                .WithFinalStopMessage(message => message is ChatSessionActor.StopSession)
                .WithReplyWhileStopped(new Status.Failure(new SessionUnavailableException(userId, "storage is unavailable; retry shortly"))));
}

/// <summary>Every <see cref="IWithUserId"/> goes to the session of its user, in one of a fixed number of shards.</summary>
public sealed class ChatSessionMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        IWithUserId command => command.UserId,
        _ => null,
    };
}
