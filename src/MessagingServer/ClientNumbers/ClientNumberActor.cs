using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using MessagingServer.Domain.Messages;
using static MessagingServer.ClientNumbers.ClientNumberCommands;

namespace MessagingServer.ClientNumbers;

/// <summary>
/// One client number, a sharded entity: the one writer of who last wrote to that client and of its consent per
/// sender number, wherever the sessions and webhooks that use it run. Nothing loads every number: an entity
/// recovers its own few events when first asked, and stops after <see cref="ClientNumberOptions.IdleAfter"/> idle. Writes go through <c>Persist</c>, so a
/// command that arrives during a write waits for it (and a stop for hand-off or passivation runs after it).
/// </summary>
public sealed class ClientNumberActor : ReceivePersistentActor
{
    private readonly ClientNumberOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ClientNumberState _state;
    private long _lastSnapshotAt;

    /// <summary>Who waits for the write in flight: told "unavailable" if it fails.</summary>
    private IActorRef? _awaitingWrite;

    public ClientNumberActor(string clientNumber, ClientNumberOptions options, TimeProvider clock)
    {
        ClientNumber = clientNumber;
        _options = options;
        _clock = clock;
        _state = new ClientNumberState(clientNumber);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ClientNumberSnapshot snapshot)
            {
                _state = ClientNumberState.FromSnapshot(clientNumber, snapshot);
                _lastSnapshotAt = offer.Metadata.SequenceNr;
            }
        });
        // Lambdas, not method groups: a snapshot replaces the state.
        Recover<ClientClaimed>(e => _state.Apply(e));
        Recover<ClientOptedOut>(e => _state.Apply(e));
        Recover<ClientOptedIn>(e => _state.Apply(e));
        Recover<RecoveryCompleted>(_ => Context.SetReceiveTimeout(options.IdleAfter));

        Command<Claim>(OnClaim);
        Command<GetLastWriter>(_ => Sender.Tell(new LastWriterReply(ClientNumber, _state.LastWriter)));
        Command<CheckConsent>(c => Sender.Tell(new ConsentReply(ClientNumber, c.Sender, _state.IsOptedOut(c.Sender))));
        Command<SetConsent>(OnSetConsent);
        // Idle: the shard stops it and buffers what arrives meanwhile; memory per node stays bounded.
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(Stop.Instance)));
        Command<Stop>(_ => Context.Stop(Self));
        Command<SaveSnapshotSuccess>(success => DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failure => _log.Warning("Snapshot of client number {0} failed: {1}", ClientNumber, failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public string ClientNumber { get; }

    public override string PersistenceId => PersistenceIdFor(ClientNumber);

    public static string PersistenceIdFor(string clientNumber) => $"client-number-{clientNumber}";

    public static Props Props(string clientNumber, ClientNumberOptions options, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new ClientNumberActor(clientNumber, options, clock));

    private void OnClaim(Claim claim)
    {
        if (_state.Claim(claim.UserId, claim.At, _options.ClaimRefreshAfter) is { } claimed)
        {
            Store(claimed, replyTo: null, reply: null);
        }
    }

    private void OnSetConsent(SetConsent set)
    {
        var now = set.At == default ? _clock.GetUtcNow() : set.At;
        object? change = set.OptedOut ? _state.OptOut(set.Sender, now) : _state.OptIn(set.Sender, now);
        var reply = new ConsentReply(ClientNumber, set.Sender, set.OptedOut);
        if (change is null)
        {
            Sender.Tell(reply);
            return;
        }

        Store(change, Sender, reply);
    }

    private void Store(object e, IActorRef? replyTo, object? reply)
    {
        _awaitingWrite = replyTo;
        Persist(e, stored =>
        {
            _awaitingWrite = null;
            _state.Apply(stored);
            replyTo?.Tell(reply);
            if (LastSequenceNr - _lastSnapshotAt >= _options.SnapshotEvery)
            {
                _lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(_state.ToSnapshot());
            }
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "Storing an event for client number {0} failed; it stops and recovers on next use", ClientNumber);
        TellUnavailable();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "The journal rejected an event for client number {0}", ClientNumber);
        TellUnavailable();
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private void TellUnavailable()
    {
        _awaitingWrite?.Tell(new Status.Failure(new ClientNumberUnavailableException(ClientNumber, "storage is unavailable; retry shortly")));
        _awaitingWrite = null;
    }

    /// <summary>From the shard (idle passivation or hand-off): stop, after the write in flight if any.</summary>
    public sealed class Stop
    {
        public static readonly Stop Instance = new();

        private Stop()
        {
        }
    }
}
