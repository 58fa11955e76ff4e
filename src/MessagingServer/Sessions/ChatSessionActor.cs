using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using MessagingServer.Cluster.Serialization;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Domain.Sessions;
using MessagingServer.Observability;
using MessagingServer.Routing;
using MessagingServer.Senders;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Sessions;

/// <summary>
/// One user's session: an event-sourced actor that owns the user's event stream. Every visible event is
/// stored before any socket sees it; sockets subscribe, get what they missed, then every live event.
/// Outbound SMS go to their sender (<see cref="SenderActor"/>) only after the send is stored; the sender calls the
/// provider once the session has stored "call started", and the provider's answer is stored when it comes.
/// The rules (what a command leads to) are <see cref="ChatSessionState"/>'s; this actor persists, applies, replies,
/// fans out, and talks to the other actors: client numbers (consent, who last wrote) and senders.
/// </summary>
public sealed partial class ChatSessionActor : ReceivePersistentActor, IWithTimers
{
    private ChatSessionState _state;
    private readonly SessionLimits _limits;
    private readonly SendRate _sendRate;
    private readonly Func<IActorRef> _senderRegion;
    private readonly SenderNumbers _senders;
    private readonly IActorRef _clientNumbers;
    private readonly ChatSessionOptions _options;
    private readonly TimeProvider _clock;
    private readonly MessagingMetrics _metrics;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>
    /// Subscribers fed by this session (a hub per node with sockets, or a lone subscriber), each with the sockets
    /// behind it. Each has been given every event up to <see cref="_storedSeq"/>.
    /// </summary>
    private readonly Dictionary<IActorRef, HashSet<IActorRef>> _subscribers = [];

    /// <summary>Replies owed for events whose write has not finished; answered "unavailable" if the write fails.</summary>
    private readonly Queue<(IActorRef ReplyTo, object OnFailure)> _owed = new();

    /// <summary>The newest seq whose write has finished: nothing newer is shown to anyone.</summary>
    private long _storedSeq;

    /// <summary>Writes started and not finished; a snapshot is only taken when there are none.</summary>
    private int _pendingWrites;

    /// <summary>The journal sequence number of the latest snapshot.</summary>
    private long _lastSnapshotAt;

    /// <summary>Sends given to their sender and not answered yet, with their correlation ids; asked for again until answered.</summary>
    private readonly PendingCalls _awaiting = new();

    /// <summary>Told to stop (passivation or hand-off): stops as soon as no write and no provider call is pending.</summary>
    private bool _stopping;

    /// <summary>Sends waiting for the recipient's consent, checked one at a time so that they stay in order.</summary>
    private readonly SendConsentGate _consent = new();

    public ChatSessionActor(string userId, ChatSessionDependencies dependencies)
    {
        UserId = userId;
        _limits = dependencies.Options.ToLimits();
        _sendRate = dependencies.SendRate ?? SendRate.Unlimited;
        _state = new ChatSessionState(userId, _limits, _sendRate);
        _senderRegion = dependencies.SenderRegion;
        _senders = dependencies.Senders;
        _clientNumbers = dependencies.ClientNumbers;
        _options = dependencies.Options;
        _clock = dependencies.Clock;
        _metrics = dependencies.Metrics;
        _snapshotEvery = Math.Max(1, dependencies.SnapshotEvery);
        _lookups = dependencies.Lookups;
        _wakeIndex = dependencies.WakeIndex;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ChatSessionSnapshot snapshot)
            {
                _state = ChatSessionState.FromSnapshot(snapshot, _limits, _sendRate);
                _lastSnapshotAt = offer.Metadata.SequenceNr;
            }
        });
        Recover<ISessionEvent>(e => _state.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<Connect>(OnConnect);
        Command<Resubscribe>(r =>
        {
            Subscribe(r.Subscriber, r.LastSent);
            _subscribers[r.Subscriber].UnionWith(r.Sockets);
        });
        Command<Disconnect>(OnDisconnect);
        Command<Terminated>(t => Unsubscribe(t.ActorRef));
        Command<Send>(OnSend);
        Command<ConsentChecked>(OnConsentChecked);
        Command<FirstSendRead>(OnFirstSendRead);
        Command<StartCall>(OnStartCall);
        Command<DispatchResult>(OnDispatchCompleted);
        Command<RetryDispatch>(_ => OnRetryDispatch());
        Command<Ack>(OnAck);
        Command<DeliverInbound>(OnInbound);
        Command<DeliverStatus>(OnStatus);
        Command<GetHistory>(OnGetHistory);
        Command<GetConversations>(query =>
        {
            // Newest first, as many as fit in one remote message: a user with thousands of threads pages.
            var older = _state.Conversations.Where(c => c.LastEvent.Seq <= _storedSeq && c.LastEvent.Seq < query.Before)
                .OrderByDescending(c => c.LastEvent.Seq).ToList();
            var page = EventBatchBudget.Take(older, c => c.LastEvent);
            Sender.Tell(new ConversationList(page, Complete: page.Count == older.Count));
        });
        ReceiveBroadcasts();
        ReceiveWakes();
        Command<GetSessionInfo>(_ => Sender.Tell(new SessionInfo(UserId, SocketCount, _storedSeq, _state.AckedSeq)));
        Command<ReceiveTimeout>(_ => RequestPassivation());
        Command<StopSession>(_ => StopWhenSettled(requested: true));
        Command<SaveSnapshotSuccess>(success => DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failure => _log.Warning("Snapshot of {0} failed: {1}", UserId, failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        ReceiveReconciliation();
    }

    public string UserId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => PersistenceIdFor(UserId);

    public static string PersistenceIdFor(string userId) => $"session-{userId}";

    public static Props Props(string userId, ChatSessionDependencies dependencies) =>
        Akka.Actor.Props.Create(() => new ChatSessionActor(userId, dependencies));

    protected override void PreStart()
    {
        _metrics.SessionStarted();
        base.PreStart();
    }

    private void OnRecovered()
    {
        _storedSeq = _state.LastSeq;
        // A send whose provider call started and has no stored answer: its sender may still know how it ended (it
        // answers "unknown" if not, and the send is never made again); sends whose call never started go out now.
        foreach (var pending in _state.PendingDispatch().ToList())
        {
            Dispatch(pending.Accepted, correlationId: null, outcomeOnly: pending.Dispatched);
        }

        ResumeReconciliations();
        if (_state.HasSendsInFlight)
        {
            ListForWake();
        }

        UpdateIdleTimer();
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // Keep the sockets: the restarted session picks them up after recovery and fills any gap.
        foreach (var (subscriber, sockets) in _subscribers)
        {
            Self.Tell(new Resubscribe(subscriber, _storedSeq, [.. sockets]));
        }

        _subscribers.Clear();
        AnswerOwed();
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        _metrics.SessionStopped();
        UnlistIfSettled();
        DropLookups();
        foreach (var waiting in _consent.DrainAll())
        {
            waiting.ReplyTo.Tell(new SendResult.Rejected(ErrorCodes.Unavailable, "the session stopped; the message was not sent", waiting.Send.ClientRef));
        }

        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Tell(new SessionEnded("session stopped"));
        }

        AnswerRepeatsWaiting(writesFinished: _pendingWrites == 0);
        base.PostStop();
    }

    private static string EventType(ISequencedEvent e) => e switch
    {
        OutboundAccepted => "outbound",
        OutboundStatusChanged => "status",
        BroadcastProgressed => "broadcast",
        _ => "message",
    };

    private static ServerFrame ToFrame(ISequencedEvent e) => new(e.Seq, ServerFrames.Event(e));

    private DateTimeOffset Now => _clock.GetUtcNow();

    private static string NewId() => "m" + Guid.CreateVersion7().ToString("N");

    /// <summary>ClientNumber(to)'s answer for the send being checked: null when it did not answer in time.</summary>
    private sealed record ConsentChecked(SendConsentGate.Waiting Waiting, bool? OptedOut) : INoSerializationVerificationNeeded;

    private sealed record Resubscribe(IActorRef Subscriber, long LastSent, IReadOnlyCollection<IActorRef> Sockets);

    /// <summary>From the shard (after a passivation request, or to hand the shard off): stop when settled.</summary>
    public sealed class StopSession
    {
        public static readonly StopSession Instance = new();

        private StopSession()
        {
        }
    }
}
