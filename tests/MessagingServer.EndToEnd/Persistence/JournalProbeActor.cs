using Akka.Actor;
using Akka.Persistence;
using MessagingServer.Domain.Messages;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>
/// Test-only persistent actor: stores the <see cref="ISessionEvent"/>s it is given, one write per event or all
/// in one, saves snapshots of <see cref="IStoredState"/>, and tells what it holds after recovery.
/// </summary>
public sealed class JournalProbeActor : ReceivePersistentActor
{
    private readonly List<ISessionEvent> _events = [];
    private IStoredState? _snapshot;
    private IActorRef? _snapshotRequester;

    public JournalProbeActor(string persistenceId)
    {
        PersistenceId = persistenceId;

        Recover<SnapshotOffer>(offer => _snapshot = (IStoredState)offer.Snapshot);
        Recover<ISessionEvent>(_events.Add);

        Command<Store>(store =>
        {
            var sender = Sender;
            var remaining = store.Events.Count;
            void Stored(ISessionEvent e)
            {
                _events.Add(e);
                if (--remaining == 0)
                {
                    sender.Tell(new Stored(LastSequenceNr));
                }
            }

            if (store.AsOneWrite)
            {
                PersistAll(store.Events, Stored);
            }
            else
            {
                // One write per event on purpose: it is the write pattern under test, not an oversight.
#pragma warning disable AK1006
                foreach (var e in store.Events)
                {
                    Persist(e, Stored);
                }
#pragma warning restore AK1006
            }
        });
        Command<SaveState>(save =>
        {
            _snapshot = save.State;
            _snapshotRequester = Sender;
            SaveSnapshot(save.State);
        });
        Command<SaveSnapshotSuccess>(success => _snapshotRequester?.Tell(new StateSaved(success.Metadata.SequenceNr)));
        Command<SaveSnapshotFailure>(failure => _snapshotRequester?.Tell(new Status.Failure(failure.Cause)));
        Command<GetContents>(_ => Sender.Tell(new Contents(_snapshot, _events.ToArray(), LastSequenceNr)));
    }

    public override string PersistenceId { get; }

    public static Props PropsFor(string persistenceId) => Props.Create(() => new JournalProbeActor(persistenceId));

    /// <summary>Persist events, one write each or one <c>PersistAll</c>; answered with <see cref="Stored"/>.</summary>
    public sealed record Store(IReadOnlyList<ISessionEvent> Events, bool AsOneWrite = false);

    public sealed record Stored(long LastSequenceNr);

    public sealed record SaveState(IStoredState State);

    public sealed record StateSaved(long SequenceNr);

    public sealed class GetContents
    {
        public static readonly GetContents Instance = new();

        private GetContents()
        {
        }
    }

    public sealed record Contents(IStoredState? Snapshot, IReadOnlyList<ISessionEvent> Events, long LastSequenceNr);
}
