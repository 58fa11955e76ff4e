using Akka.Actor;
using Akka.Persistence;

namespace MessagingServer.Tests.ClientNumbers;

/// <summary>
/// Test only: replays a persistence id (never writes to it) and answers how many events of each type it holds,
/// to see what an entity stored. Start it once the entity's writes have finished.
/// </summary>
internal sealed class StoredEventCount : ReceivePersistentActor
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly IActorRef _replyTo;

    public StoredEventCount(string persistenceId, IActorRef replyTo)
    {
        PersistenceId = persistenceId;
        _replyTo = replyTo;
        Recover<SnapshotOffer>(_ => _counts["snapshot"] = _counts.GetValueOrDefault("snapshot") + 1);
        Recover<RecoveryCompleted>(_ =>
        {
            replyTo.Tell(new Counts(_counts));
            Context.Stop(Self);
        });
        RecoverAny(e => _counts[e.GetType().Name] = _counts.GetValueOrDefault(e.GetType().Name) + 1);
    }

    public override string PersistenceId { get; }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _replyTo.Tell(new Status.Failure(reason));
        base.OnRecoveryFailure(reason, message);
    }

    public static Props Props(string persistenceId, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new StoredEventCount(persistenceId, replyTo));

    public sealed record Counts(IReadOnlyDictionary<string, int> ByType)
    {
        public int Of(string type) => ByType.GetValueOrDefault(type);
    }
}
