using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using MessagingServer.ClientNumbers;
using MessagingServer.Cluster.Serialization;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Domain.Sessions;
using MessagingServer.Observability;
using MessagingServer.Routing;
using MessagingServer.Senders;
using MessagingServer.Sms;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Sessions;

/// <summary>
/// One user's session: an event-sourced actor that owns the user's event stream. Every visible event is
/// stored before any socket sees it; sockets subscribe, get what they missed, then every live event.
/// Outbound SMS go to their sender (<see cref="SenderActor"/>) only after the send is stored; the sender calls the
/// provider once the session has stored "call started", and the provider's answer is stored when it comes.
/// </summary>
public sealed partial class ChatSessionActor : ReceivePersistentActor, IWithTimers
{
    private ChatSessionState _state;
    private readonly SessionLimits _limits;
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
    private readonly Dictionary<string, string?> _awaiting = new(StringComparer.Ordinal);

    /// <summary>Told to stop (passivation or hand-off): stops as soon as no write and no provider call is pending.</summary>
    private bool _stopping;

    /// <summary>Sends waiting for the recipient's consent, checked one at a time so that they stay in order.</summary>
    private readonly SendConsentGate _consent = new();

    public ChatSessionActor(string userId, ChatSessionDependencies dependencies)
    {
        UserId = userId;
        _limits = SessionLimits.Default with { CachedEvents = dependencies.Options.CachedEvents };
        _state = new ChatSessionState(userId, _limits);
        _senderRegion = dependencies.SenderRegion;
        _senders = dependencies.Senders;
        _clientNumbers = dependencies.ClientNumbers;
        _options = dependencies.Options;
        _clock = dependencies.Clock;
        _metrics = dependencies.Metrics;
        _snapshotEvery = Math.Max(1, dependencies.SnapshotEvery);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ChatSessionSnapshot snapshot)
            {
                _state = ChatSessionState.FromSnapshot(snapshot, _limits);
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
        Command<Disconnect>(d =>
        {
            if (d.Socket is null)
            {
                Unsubscribe(d.Subscriber);
            }
            else if (_subscribers.TryGetValue(d.Subscriber, out var sockets))
            {
                sockets.Remove(d.Socket);
            }
        });
        Command<Terminated>(t => Unsubscribe(t.ActorRef));
        Command<Send>(OnSend);
        Command<ConsentChecked>(OnConsentChecked);
        Command<StartCall>(OnStartCall);
        Command<DispatchResult>(OnDispatchCompleted);
        Command<RetryDispatch>(_ => OnRetryDispatch());
        Command<Ack>(OnAck);
        Command<DeliverInbound>(OnInbound);
        Command<DeliverStatus>(OnStatus);
        Command<GetHistory>(OnGetHistory);
        Command<GetConversations>(_ => Sender.Tell(new ConversationList(_state.Conversations.Where(c => c.LastEvent.Seq <= _storedSeq).OrderByDescending(c => c.LastEvent.Seq).ToList())));
        Command<GetSessionInfo>(_ => Sender.Tell(new SessionInfo(UserId, SocketCount, _storedSeq, _state.AckedSeq)));
        Command<ReceiveTimeout>(_ => RequestPassivation());
        Command<StopSession>(_ => StopWhenSettled(requested: true));
        Command<SaveSnapshotSuccess>(success => DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failure => _log.Warning("Snapshot of {0} failed: {1}", UserId, failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
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

        UpdateIdleTimer();
    }

    private void OnConnect(Connect connect)
    {
        var from = Math.Clamp(connect.Since ?? _state.AckedSeq, 0, _storedSeq);
        var welcome = new ServerFrame(0, ServerFrames.Welcome(UserId, _storedSeq, from + 1));
        var oldestInMemory = Math.Min(_state.OldestCachedSeq, _storedSeq + 1);
        if (from + 1 < oldestInMemory)
        {
            // Older than memory holds: the socket reads those from the journal, then connects again from there.
            Sender.Tell(new Connected(welcome, from + 1, _storedSeq, JournalBefore: oldestInMemory));
            return;
        }

        // Told before subscribing, so the socket sees the welcome, then what it missed, then live events, in order;
        // in a few batches (the socket's buffer counts messages), each small enough to cross nodes in one remote frame.
        var missed = _state.EventsAfter(from).TakeWhile(e => e.Seq <= _storedSeq).Select(ToFrame);
        foreach (var batch in FrameBatchChunks.Split(connect.SendWelcome ? missed.Prepend(welcome) : missed))
        {
            connect.Subscriber.Tell(connect.Socket is { } socket ? new ReplayFor(socket, batch, _storedSeq) : batch);
        }

        Sender.Tell(new Connected(welcome, from + 1, _storedSeq));
        Subscribe(connect.Subscriber, _storedSeq);
        if (connect.Socket is not null)
        {
            _subscribers[connect.Subscriber].Add(connect.Socket);
        }
    }

    private void OnGetHistory(GetHistory query)
    {
        var since = Math.Max(0, query.Since);
        var oldestInMemory = Math.Min(_state.OldestCachedSeq, _storedSeq + 1);
        if (since + 1 < oldestInMemory)
        {
            // Older than memory holds: the caller pages the journal, up to what is stored now.
            Sender.Tell(new History([], _storedSeq, _state.AckedSeq, FromJournal: true));
            return;
        }

        // As many as fit in one remote message; the caller asks again from the last one.
        Sender.Tell(new History(EventBatchBudget.Take(_state.EventsAfter(since, query.Limit).Where(e => e.Seq <= _storedSeq)), _storedSeq, _state.AckedSeq));
    }

    private void Subscribe(IActorRef subscriber, long lastSent)
    {
        if (_subscribers.TryAdd(subscriber, []))
        {
            Context.Watch(subscriber);
        }

        // After a restart a socket may have missed events stored meanwhile: catch it up from memory.
        foreach (var e in _state.EventsAfter(lastSent).TakeWhile(e => e.Seq <= _storedSeq))
        {
            subscriber.Tell(ToFrame(e));
        }

        UpdateIdleTimer();
    }

    private void Unsubscribe(IActorRef subscriber)
    {
        if (_subscribers.Remove(subscriber))
        {
            Context.Unwatch(subscriber);
        }

        UpdateIdleTimer();
    }

    /// <summary>Every send waits for the ones before it; each is checked with ClientNumber(to) before it is stored.</summary>
    private void OnSend(Send send)
    {
        if (_consent.Enqueue(send, Sender))
        {
            CheckNextSend();
        }
    }

    private void CheckNextSend()
    {
        while (_consent.Next() is { } next)
        {
            var send = next.Send;
            if (send.ClientRef is not null && _state.FindByClientRef(send.ClientRef) is { } first)
            {
                // The first may still be in the journal: acknowledged only once it is stored.
                ReplyOnceStored(
                    next.ReplyTo,
                    new SendResult.Accepted(first.Id, first.Seq, Duplicate: true, ToFrame(first)),
                    new SendResult.Rejected(ErrorCodes.Unavailable, "storage is unavailable; the message was not sent", send.ClientRef));
                continue;
            }

            // The client number is the authority on consent: a STOP received by any user of this sender number counts.
            _clientNumbers.Ask<ConsentReply>(new ClientNumberCommands.CheckConsent(send.To, _senders.For(UserId)), _options.ConsentCheckTimeout)
                .PipeTo(Self, success: reply => new ConsentChecked(next, reply.OptedOut), failure: _ => new ConsentChecked(next, null));
            return;
        }

        StopWhenSettled();
    }

    private void OnConsentChecked(ConsentChecked check)
    {
        if (!ReferenceEquals(check.Waiting, _consent.Checking))
        {
            return;
        }

        var (send, replyTo, from) = (check.Waiting.Send, check.Waiting.ReplyTo, _senders.For(UserId));
        switch (check.OptedOut)
        {
            case null:
                replyTo.Tell(new SendResult.Rejected(ErrorCodes.Unavailable, "consent could not be checked; the message was not sent", send.ClientRef));
                break;
            case true:
                replyTo.Tell(new SendResult.Rejected(ErrorCodes.OptedOut, $"{send.To} has opted out of messages from {from}", send.ClientRef));
                break;
            default:
                StoreSend(send, from, replyTo);
                break;
        }

        CheckNextSend();
    }

    private void StoreSend(Send send, string from, IActorRef replyTo)
    {
        var segments = SmsSegments.Measure(send.Body);
        var accepted = new OutboundAccepted(_state.NextSeq, NewId(), send.ClientRef, from, send.To, send.Body, Now,
            MessageStatus.Queued, segments.Encoding, segments.Segments);
        Store(accepted, replyTo, new SendResult.Rejected(ErrorCodes.Unavailable, "storage is unavailable; the message was not sent", send.ClientRef), () =>
        {
            // Replies from this client come to this user now; told with no sender, nothing answers it.
            _clientNumbers.Tell(new ClientNumberCommands.Claim(send.To, UserId, accepted.At), ActorRefs.NoSender);
            replyTo.Tell(new SendResult.Accepted(accepted.Id, accepted.Seq, Duplicate: false, ToFrame(accepted)));
        });

        // Persisted in the same handler, so both go to the journal in one write; the provider is called only
        // once both are stored (a write that fails stops the session before any callback after it runs).
        Dispatch(accepted, send.CorrelationId);
    }

    private void OnAck(Ack ack)
    {
        if (ack.Seq > _storedSeq)
        {
            Sender.Tell(new AckResult(false, _state.AckedSeq, $"seq {ack.Seq} is beyond the last event ({_storedSeq})"));
            return;
        }

        if (ack.Seq <= _state.AckedSeq)
        {
            Sender.Tell(new AckResult(true, _state.AckedSeq));
            return;
        }

        var acked = new CursorAcked(ack.Seq);
        _state.Apply(acked);
        var replyTo = Sender;
        _owed.Enqueue((replyTo, new AckResult(false, ack.Seq, "storage is unavailable")));
        Write(acked, _ =>
        {
            _owed.Dequeue();
            replyTo.Tell(new AckResult(true, ack.Seq));
        });
    }

    private void OnInbound(DeliverInbound deliver)
    {
        var sms = deliver.Sms;
        if (sms.ProviderSid is not null && _state.HasSeenInbound(sms.ProviderSid))
        {
            ReplyOnceStored(Sender, IngressResult.Stored, IngressResult.Unavailable);
            return;
        }

        // STOP / START are stored in ClientNumber(from) before this (by the router); kept here as the session's own record.
        ISessionEvent? consent = OptOutKeywords.Classify(sms.Body) switch
        {
            OptOutIntent.OptOut => new ClientOptedOut(sms.To, sms.From, Now),
            OptOutIntent.OptIn => new ClientOptedIn(sms.To, sms.From, Now),
            _ => null,
        };
        if (consent is not null)
        {
            _state.Apply(consent);
            Write(consent, _ => { });
        }

        var received = new InboundReceived(_state.NextSeq, NewId(), sms.From, sms.To, sms.Body, sms.Media, Now, sms.ProviderSid);
        var replyTo = Sender;
        Store(received, replyTo, IngressResult.Unavailable, () => replyTo.Tell(IngressResult.Stored));
    }

    private void OnStatus(DeliverStatus deliver)
    {
        var report = deliver.Report;
        var record = _state.FindOutbound(report.MessageId);
        if (record is null)
        {
            Sender.Tell(IngressResult.Ignored);
            return;
        }

        // Forward only; a message we gave up on as "outcome unknown" may still turn out to have gone.
        var canMove = record.Status.CanMoveTo(report.Status)
            || (record.OutcomeUnknown && report.Status is not MessageStatus.Failed and not MessageStatus.Queued);
        if (!canMove)
        {
            ReplyOnceStored(Sender, IngressResult.Stored, IngressResult.Unavailable);
            return;
        }

        var changed = new OutboundStatusChanged(_state.NextSeq, report.MessageId, report.Status, report.Error, Now, report.ProviderSid);
        var replyTo = Sender;
        Store(changed, replyTo, IngressResult.Unavailable, () => replyTo.Tell(IngressResult.Stored));
    }

    /// <summary>Applies a visible event now (so later commands see it), stores it, and only then shows it.</summary>
    private void Store(ISequencedEvent e, IActorRef? replyTo = null, object? onFailure = null, Action? afterStored = null)
    {
        _state.Apply(e);
        if (replyTo is not null && onFailure is not null)
        {
            _owed.Enqueue((replyTo, onFailure));
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Write(e, stored =>
        {
            _metrics.JournalWrite(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            _metrics.EventOut(EventType(stored));
            if (replyTo is not null && onFailure is not null)
            {
                _owed.Dequeue();
            }

            _storedSeq = stored.Seq;
            var frame = ToFrame(stored);
            foreach (var subscriber in _subscribers.Keys)
            {
                subscriber.Tell(frame);
            }

            afterStored?.Invoke();
        });
    }

    /// <summary>
    /// Persists without holding back commands (writes batch up in the journal), and snapshots when due: after
    /// <c>SnapshotEvery</c> events, and never before as many events as the snapshot holds records, so that a
    /// snapshot of a big session costs at most about one stored record per event (it holds up to
    /// <c>CachedEvents</c> recent events plus the remembered sends; taking it every 1,000 events cost several
    /// KB per event) while recovery still replays at most that many events after it.
    /// </summary>
    private void Write<TEvent>(TEvent e, Action<TEvent> afterStored)
        where TEvent : ISessionEvent
    {
        _pendingWrites++;
        PersistAsync(e, stored =>
        {
            _pendingWrites--;
            afterStored(stored);
            StopWhenSettled();
            if (_pendingWrites == 0 && LastSequenceNr - _lastSnapshotAt >= Math.Max(_snapshotEvery, _state.SnapshotRecords))
            {
                _lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(_state.ToSnapshot());
            }
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "Storing an event for {UserId} failed; the session stops and recovers on next use", UserId);
        AnswerOwed();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>
    /// The journal refused an event (it could not be stored, e.g. not serialized) but the journal itself works. The
    /// event is already applied in memory, and a send's dispatch record may still be stored after it: restart, so
    /// that the session goes on from what is stored and never shows, reuses or dispatches what was refused.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "The journal rejected {EventType} at {SequenceNr} for {UserId}; the session restarts from what is stored",
            @event.GetType().Name, sequenceNr, UserId);
        AnswerOwed();
        throw new StoredEventRejectedException(UserId, cause);
    }

    private void AnswerOwed()
    {
        while (_owed.TryDequeue(out var owed))
        {
            owed.ReplyTo.Tell(owed.OnFailure);
        }

        AnswerRepeatsWaiting();
    }

    private void UpdateIdleTimer() =>
        Context.SetReceiveTimeout(_subscribers.Count == 0 && _awaiting.Count == 0 ? _options.SessionIdleTimeout : null);

    /// <summary>Idle: ask the shard to stop this session; it buffers whatever arrives meanwhile and starts it again for it.</summary>
    private void RequestPassivation()
    {
        if (_subscribers.Count == 0 && _awaiting.Count == 0)
        {
            Context.Parent.Tell(new Passivate(StopSession.Instance));
        }
    }

    /// <summary>
    /// Stops once no write is pending and no repeat waits for one, so that no acknowledged write is cut short. Sends still with their sender are
    /// not waited for: their answers reach the session's successor through the region (and it asks again for them).
    /// Sockets still subscribed (a hand-off) are told the session ended and reconnect through the region.
    /// </summary>
    private void StopWhenSettled(bool requested = false)
    {
        _stopping |= requested;
        if (_stopping && _pendingWrites == 0 && _repeatsWaiting.Count == 0 && _consent.IsIdle)
        {
            Context.Stop(Self);
        }
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

    /// <summary>Sockets fed, on every node: each socket behind a hub, and each lone subscriber as one.</summary>
    private int SocketCount => _subscribers.Values.Sum(sockets => Math.Max(1, sockets.Count));

    private static string EventType(ISequencedEvent e) => e switch
    {
        OutboundAccepted => "outbound",
        OutboundStatusChanged => "status",
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
