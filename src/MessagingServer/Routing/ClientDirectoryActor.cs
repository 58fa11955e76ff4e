using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;

namespace MessagingServer.Routing;

/// <summary>
/// Stores the <see cref="ClientDirectory"/>: each change is one <see cref="ClientClaimed"/> in the journal, and the
/// whole directory is a snapshot now and then. On start it loads them back into the directory; the server waits
/// for <see cref="Loaded"/> before it takes traffic, so a reply after a restart reaches the user who last wrote to
/// that client even before that user's session is loaded again.
/// </summary>
public sealed class ClientDirectoryActor : ReceivePersistentActor
{
    public const string Id = "client-directory";

    private readonly ClientDirectory _directory;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _lastSnapshotAt;

    public ClientDirectoryActor(ClientDirectory directory, int snapshotEvery)
    {
        _directory = directory;
        _snapshotEvery = Math.Max(1, snapshotEvery);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ClientDirectorySnapshot snapshot)
            {
                foreach (var claim in snapshot.Claims)
                {
                    _directory.Restore(claim);
                }

                _lastSnapshotAt = offer.Metadata.SequenceNr;
            }
        });
        Recover<ClientClaimed>(_directory.Restore);
        Recover<RecoveryCompleted>(_ => _log.Info("Client directory loaded: {0} client numbers", _directory.Count));

        Command<Store>(store => Persist(store.Claim, _ => SnapshotIfDue()));
        Command<WhenLoaded>(_ => Sender.Tell(new Loaded(_directory.Count)));
        Command<SaveSnapshotSuccess>(success => DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failure => _log.Warning("Snapshot of the client directory failed: {0}", failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => Id;

    public static Props Props(ClientDirectory directory, int snapshotEvery) =>
        Akka.Actor.Props.Create(() => new ClientDirectoryActor(directory, snapshotEvery));

    /// <summary>
    /// Under a supervisor that starts it again after a storage failure (a persistent actor stops on one). Claims
    /// that arrive meanwhile are not stored, but the directory in memory has them.
    /// </summary>
    public static Props Supervised(ClientDirectory directory, int snapshotEvery) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props(directory, snapshotEvery), "store", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1));

    private void SnapshotIfDue()
    {
        // A snapshot holds every number, so a large directory takes one no more often than it has entries.
        if (LastSequenceNr - _lastSnapshotAt >= Math.Max(_snapshotEvery, _directory.Count))
        {
            _lastSnapshotAt = LastSequenceNr;
            SaveSnapshot(new ClientDirectorySnapshot(_directory.All()));
        }
    }

    /// <summary>Write this claim to the journal.</summary>
    public sealed record Store(ClientClaimed Claim);

    /// <summary>
    /// Answered with <see cref="Loaded"/> once the directory is back in memory and every claim sent before this
    /// is stored (a persistent actor takes no command while a write is in flight).
    /// </summary>
    public sealed record WhenLoaded
    {
        public static readonly WhenLoaded Instance = new();
    }

    public sealed record Loaded(int ClientNumbers);
}
