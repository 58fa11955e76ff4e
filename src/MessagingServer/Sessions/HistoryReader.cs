using Akka;
using Akka.Actor;
using Akka.Persistence;
using Akka.Streams;
using Akka.Streams.Dsl;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;

namespace MessagingServer.Sessions;

/// <summary>
/// Reads a user's events that are older than the session keeps in memory, straight from the journal: a
/// short-lived persistent actor with the session's persistence id that only recovers (never writes) and
/// passes on the events in (<c>after</c>, <c>before</c>), then completes. Used by resume when a device is
/// further behind than the session's memory reaches.
/// </summary>
public sealed class HistoryReader : ReceivePersistentActor
{
    private readonly string _persistenceId;
    private readonly IActorRef _target;

    public HistoryReader(string persistenceId, long after, long before, IActorRef target)
    {
        _persistenceId = persistenceId;
        _target = target;
        Recover<ISequencedEvent>(e =>
        {
            if (e.Seq > after && e.Seq < before)
            {
                target.Tell(new ServerFrame(e.Seq, ServerFrames.Event(e)));
            }
        });
        Recover<RecoveryCompleted>(_ =>
        {
            target.Tell(new Status.Success(NotUsed.Instance));
            Context.Stop(Self);
        });
        CommandAny(_ => { });
    }

    public override string PersistenceId => _persistenceId;

    /// <summary>Every event from the journal, ignoring snapshots (which hold only the newest events).</summary>
    public override Recovery Recovery => new(SnapshotSelectionCriteria.None);

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        // The target sees the failure and closes its socket; the device resumes from what it got.
        _target.Tell(new Status.Failure(reason));
        base.OnRecoveryFailure(reason, message);
    }
}

/// <summary>Streams a user's older events from the journal (see <see cref="HistoryReader"/>).</summary>
public static class HistoryReplay
{
    /// <summary>
    /// The frames of <paramref name="userId"/>'s events with seq in (<paramref name="after"/>, <paramref name="before"/>),
    /// oldest first, read when the source is run. At most <c>before - after</c> frames are buffered.
    /// </summary>
    public static Source<ServerFrame, NotUsed> Between(ActorSystem system, string userId, long after, long before)
    {
        var count = (int)Math.Clamp(before - after, 1, int.MaxValue - 16);
        return Source.ActorRef<ServerFrame>(count + 16, OverflowStrategy.Fail)
            .MapMaterializedValue(target =>
            {
                system.ActorOf(Props.Create(() => new HistoryReader(ChatSessionActor.PersistenceIdFor(userId), after, before, target)));
                return NotUsed.Instance;
            });
    }
}
