using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using MessagingServer.Domain.Broadcasts;
using static MessagingServer.Broadcasts.BroadcastCommands;

namespace MessagingServer.Broadcasts;

/// <summary>
/// One broadcast of one user, a sharded, event-sourced entity (persistence id per user and broadcast). It stores its
/// recipients and each one's outcome, hands the recipients one by one to the user's session as ordinary sends under
/// the clientRef <c>bc:{id}:{index}</c> (so a recipient asked for twice, after a crash, is answered with its first
/// send and never texted twice), at the sender number's pace, and stores its progress in the user's stream now and
/// then. The rules are <see cref="BroadcastState"/>'s; this actor persists, asks and reports. It is woken after a
/// restart or a node loss by the <see cref="BroadcastIndexActor"/> (every node asks it to, now and then).
/// </summary>
public sealed partial class BroadcastActor : ReceivePersistentActor, IWithTimers
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(1);

    private readonly BroadcastDependencies _dependencies;
    private readonly BroadcastOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private BroadcastState _state = new();

    protected override void PreStart()
    {
        _dependencies.Metrics?.BroadcastStarted();
        base.PreStart();
    }

    protected override void PostStop()
    {
        _dependencies.Metrics?.BroadcastStopped();
        base.PostStop();
    }

    public BroadcastActor(string userId, string broadcastId, BroadcastDependencies dependencies)
    {
        UserId = userId;
        BroadcastId = broadcastId;
        _dependencies = dependencies;
        _options = dependencies.Options;

        // Lambdas, not method groups: a snapshot replaces the state.
        RecoverSnapshot();
        Recover<IBroadcastEvent>(e => _state.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());
        CommandSnapshots();

        Command<CreateBroadcast>(OnCreate);
        Command<GetBroadcast>(_ => Sender.Tell(new BroadcastStatusReply(_state.Created is null ? null : _state.Progress)));
        Command<CancelBroadcast>(OnCancel);
        Command<ResumeBroadcast>(_ =>
        {
            if (_state.IsClosed)
            {
                // The index missed the end (told without an answer): tell it again.
                _dependencies.Broadcasts().Tell(new BroadcastIndexCommands.Unindex(UserId, BroadcastId), ActorRefs.NoSender);
            }
        });
        Command<Handed>(OnHanded);
        Command<Reported>(OnReported);
        Command<Tick>(_ => Pump());
        Command<ReceiveTimeout>(_ =>
        {
            if (!IsRunning)
            {
                Context.Parent.Tell(new Passivate(Stop.Instance));
            }
        });
        Command<Stop>(_ => Context.Stop(Self));
    }

    public string UserId { get; }

    public string BroadcastId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => PersistenceIdFor(UserId, BroadcastId);

    public static string PersistenceIdFor(string userId, string broadcastId) => $"broadcast-{userId}-{broadcastId}";

    /// <summary>The shard entity id: user and broadcast (a user id holds no ':').</summary>
    public static string EntityIdFor(string userId, string broadcastId) => $"{userId}:{broadcastId}";

    public static Props Props(string userId, string broadcastId, BroadcastDependencies dependencies) =>
        Akka.Actor.Props.Create(() => new BroadcastActor(userId, broadcastId, dependencies));

    /// <summary>Ready, not closed: it has recipients to hand or a final report to store.</summary>
    private bool IsRunning => _state.IsReady && !_state.IsClosed;

    private DateTimeOffset Now => _dependencies.Clock.GetUtcNow();

    private void OnRecovered()
    {
        if (IsRunning)
        {
            // A restart, a node loss or a hand-off: in the index again (harmless when it is there), then carry on.
            _dependencies.Broadcasts().Tell(new BroadcastIndexCommands.Index(UserId, BroadcastId), ActorRefs.NoSender);
            _log.Info("Broadcast {0} of {1} resumes at {2} of {3}", BroadcastId, UserId, _state.Progress.Done, _state.Total);
            Pump();
        }

        UpdateIdleTimer();
    }

    private void OnCreate(CreateBroadcast create)
    {
        if (_state.IsReady)
        {
            Sender.Tell(new BroadcastCreateReply(Stored: true, Existing: true));
            return;
        }

        var candidate = new BroadcastCreated(create.BroadcastId, create.UserId, create.Body, create.Media, create.ClientRef, create.Total, create.Parts, Now);
        var events = _state.DecideAddPart(candidate, create.Part, create.Numbers);
        if (events is null || events.Count == 0)
        {
            Sender.Tell(new BroadcastCreateReply(Stored: events is not null, Existing: false));
            return;
        }

        var replyTo = Sender;
        var stored = 0;
        PersistAll(events, e =>
        {
            _state.Apply(e);
            if (++stored < events.Count)
            {
                return;
            }

            replyTo.Tell(new BroadcastCreateReply(Stored: true, Existing: false));
            if (_state.IsReady)
            {
                _log.Info("Broadcast {0} of {1} starts: {2} recipients", BroadcastId, UserId, _state.Total);
                Pump();
            }

            UpdateIdleTimer();
        });
    }

    /// <summary>Cancels every recipient not handed yet; answered with the progress once stored (or at once when nothing is left).</summary>
    private void OnCancel(CancelBroadcast cancel)
    {
        if (_state.DecideCancel(_inFlight, Now) is not { } cancelled)
        {
            Sender.Tell(new BroadcastStatusReply(_state.Created is null ? null : _state.Progress));
            return;
        }

        var replyTo = Sender;
        Persist(cancelled, e =>
        {
            _state.Apply(e);
            MaybeSnapshot();
            _log.Info("Broadcast {0} of {1} cancelled: {2} recipients not sent", BroadcastId, UserId, _state.Cancelled);
            replyTo.Tell(new BroadcastStatusReply(_state.Progress));
            Pump();
        });
    }

    private void UpdateIdleTimer() => Context.SetReceiveTimeout(IsRunning ? null : IdleAfter);

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "Storing an event of broadcast {0} of {1} failed; it stops and resumes when woken", BroadcastId, UserId);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>From the shard (idle passivation or hand-off): stop, after the write in flight if any; woken again by the index.</summary>
    public sealed class Stop
    {
        public static readonly Stop Instance = new();

        private Stop()
        {
        }
    }
}
