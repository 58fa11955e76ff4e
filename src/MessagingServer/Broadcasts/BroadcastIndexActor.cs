using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using static MessagingServer.Broadcasts.BroadcastIndexCommands;

namespace MessagingServer.Broadcasts;

/// <summary>
/// The unfinished broadcasts of every user: one entity of the broadcast region, so it lives on one node at a time and
/// moves when that node goes. Remember-entities is broken on this feed (STACK.md), so this is how a broadcast comes
/// back after a crash: every node sends <see cref="Wake"/> when it starts and every
/// <see cref="BroadcastOptions.ResumeInterval"/>, and the index tells each unfinished broadcast to carry on (starting
/// its entity, which recovers and resumes). A broadcast that is running already ignores it. Sessions with sends in
/// flight are indexed the same way (<see cref="BroadcastIndexEntry.SessionWork"/>) and woken with
/// <see cref="Sessions.ChatSessionCommands.WakeSession"/>, so a send stored before a crash goes out after it even
/// if its user never comes back.
/// </summary>
public sealed class BroadcastIndexActor : ReceivePersistentActor
{
    public const string EntityId = "index";

    private const int SnapshotEvery = 500;

    private readonly Func<IActorRef> _broadcasts;
    private readonly Func<IActorRef> _sessions;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<BroadcastIndexEntry> _active = [];
    private long _lastSnapshotAt;

    public BroadcastIndexActor(Func<IActorRef> broadcasts, Func<IActorRef> sessions)
    {
        _broadcasts = broadcasts;
        _sessions = sessions;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is BroadcastIndexSnapshot snapshot)
            {
                _active.Clear();
                _active.UnionWith(snapshot.Active);
                _lastSnapshotAt = offer.Metadata.SequenceNr;
            }
        });
        Recover<BroadcastIndexChanged>(Apply);

        Command<BroadcastIndexCommands.Index>(index =>
        {
            var entry = new BroadcastIndexEntry(index.UserId, index.BroadcastId);
            var reply = new BroadcastIndexed(index.UserId, index.BroadcastId);
            if (_active.Contains(entry))
            {
                Sender.Tell(reply);
                return;
            }

            var replyTo = Sender;
            Store(new BroadcastIndexChanged(index.UserId, index.BroadcastId, Active: true), () => replyTo.Tell(reply));
        });
        Command<Unindex>(unindex =>
        {
            if (_active.Contains(new BroadcastIndexEntry(unindex.UserId, unindex.BroadcastId)))
            {
                Store(new BroadcastIndexChanged(unindex.UserId, unindex.BroadcastId, Active: false), () => { });
            }
        });
        Command<Wake>(_ =>
        {
            foreach (var entry in _active)
            {
                if (entry.BroadcastId == BroadcastIndexEntry.SessionWork)
                {
                    _sessions().Tell(new Sessions.ChatSessionCommands.WakeSession(entry.UserId), ActorRefs.NoSender);
                }
                else
                {
                    _broadcasts().Tell(new BroadcastCommands.ResumeBroadcast(entry.UserId, entry.BroadcastId), ActorRefs.NoSender);
                }
            }
        });
        Command<BroadcastActor.Stop>(_ => Context.Stop(Self));
        Command<SaveSnapshotSuccess>(success => DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failure => _log.Warning("Snapshot of the broadcast index failed: {0}", failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => "broadcast-index";

    public static Props Props(Func<IActorRef> broadcasts, Func<IActorRef> sessions) =>
        Akka.Actor.Props.Create(() => new BroadcastIndexActor(broadcasts, sessions));

    private void Store(BroadcastIndexChanged changed, Action afterStored) =>
        Persist(changed, e =>
        {
            Apply(e);
            afterStored();
            if (LastSequenceNr - _lastSnapshotAt >= SnapshotEvery)
            {
                _lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(new BroadcastIndexSnapshot([.. _active]));
            }
        });

    private void Apply(BroadcastIndexChanged changed)
    {
        var entry = new BroadcastIndexEntry(changed.UserId, changed.BroadcastId);
        if (changed.Active)
        {
            _active.Add(entry);
        }
        else
        {
            _active.Remove(entry);
        }
    }
}
