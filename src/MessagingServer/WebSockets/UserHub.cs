using Akka.Actor;
using Akka.Event;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;

namespace MessagingServer.WebSockets;

/// <summary>
/// One user's sockets on this node. The hub is the session's one subscriber here, wherever the session lives: it
/// fans each event out to the local sockets, and when the session stops or moves (hand-off, node loss, restart)
/// it subscribes again from the last event it has, so the sockets stay open and see no gap (each socket drops
/// events it has already shown). A socket joining gets its welcome and missed events from the session, through
/// the hub, and only then live ones.
/// </summary>
public sealed class UserHub : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly string _userId;
    private readonly IActorRef _sessions;
    private readonly TimeSpan _askTimeout;
    private readonly TimeSpan _giveUpAfter;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Sockets shown live events: each has had its replay.</summary>
    private readonly HashSet<IActorRef> _sockets = [];

    /// <summary>Sockets waiting for their replay, with the join to send again if the session moves meanwhile.</summary>
    private readonly Dictionary<IActorRef, (UserHubs.Join Join, IActorRef ReplyTo)> _joining = [];

    /// <summary>The newest event this hub has from the session: where it subscribes again from.</summary>
    private long _lastSeq;

    /// <summary>The session incarnation feeding this hub, watched; null while subscribing again.</summary>
    private IActorRef? _session;

    private DateTime? _resubscribingSince;
    private TimeSpan _retry = FirstRetry;
    private int _joins;

    public UserHub(string userId, IActorRef sessions, TimeSpan askTimeout, TimeSpan giveUpAfter)
    {
        _userId = userId;
        _sessions = sessions;
        _askTimeout = askTimeout;
        _giveUpAfter = giveUpAfter;

        Receive<UserHubs.Join>(OnJoin);
        Receive<UserHubs.Leave>(OnLeave);
        Receive<ReplayFor>(OnReplay);
        Receive<ServerFrame>(frame =>
        {
            FromSession();
            _lastSeq = Math.Max(_lastSeq, frame.Seq);
            Broadcast(frame);
        });
        Receive<FrameBatch>(batch =>
        {
            FromSession();
            _lastSeq = Math.Max(_lastSeq, batch.Frames.Count == 0 ? 0 : batch.Frames.Max(f => f.Seq));
            Broadcast(batch);
        });
        Receive<SessionEnded>(_ => SessionLost(Sender));
        Receive<Terminated>(t => SessionLost(t.ActorRef));
        Receive<Resubscribe>(_ => ResubscribeAsync().PipeTo(Self));
        Receive<Resubscribed>(OnResubscribed);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string userId, IActorRef sessions, TimeSpan askTimeout, TimeSpan giveUpAfter) =>
        Akka.Actor.Props.Create(() => new UserHub(userId, sessions, askTimeout, giveUpAfter));

    private void OnJoin(UserHubs.Join join)
    {
        _joins++;
        _joining[join.Socket] = (join, Sender);
        // The session answers the socket's bridge directly, and sends this hub the socket's replay.
        _sessions.Tell(new ChatSessionCommands.Connect(_userId, join.Since, Self, join.SendWelcome, join.Socket), Sender);
    }

    private void OnLeave(UserHubs.Leave leave)
    {
        _joining.Remove(leave.Socket);
        if (_sockets.Remove(leave.Socket))
        {
            _sessions.Tell(new ChatSessionCommands.Disconnect(_userId, Self, leave.Socket));
        }

        if (_sockets.Count == 0 && _joining.Count == 0)
        {
            Context.Parent.Tell(new UserHubs.Idle(_userId, _joins));
        }
    }

    private void OnReplay(ReplayFor replay)
    {
        FromSession();
        _lastSeq = Math.Max(_lastSeq, replay.UpTo);
        // A long replay comes in several chunks, in order, before any live event.
        if (_joining.Remove(replay.Socket) | _sockets.Contains(replay.Socket))
        {
            _sockets.Add(replay.Socket);
            replay.Socket.Tell(replay.Batch);
        }
    }

    /// <summary>Watches the incarnation that talks to this hub, so that its loss (even with its node) is noticed.</summary>
    private void FromSession()
    {
        if (_session is null || !_session.Equals(Sender))
        {
            if (_session is not null)
            {
                Context.Unwatch(_session);
            }

            _session = Sender;
            Context.Watch(_session);
        }
    }

    private void SessionLost(IActorRef session)
    {
        if (_session is null || !_session.Equals(session))
        {
            return;
        }

        Context.Unwatch(_session);
        _session = null;
        if (CoordinatedShutdown.Get(Context.System).ShutdownReason is not null)
        {
            // This node is stopping: its sockets have had 1001, and subscribing again would hold up the shards' hand-off.
            Broadcast(new SessionEnded("server shutting down"));
            Context.Stop(Self);
            return;
        }

        _resubscribingSince ??= DateTime.UtcNow;
        _retry = FirstRetry;
        _log.Debug("Session of {0} ended; subscribing again after seq {1}", _userId, _lastSeq);
        Self.Tell(Resubscribe.Instance);
    }

    private async Task<Resubscribed> ResubscribeAsync()
    {
        try
        {
            var connected = await _sessions.Ask<Connected>(
                new ChatSessionCommands.Connect(_userId, _lastSeq, Self, SendWelcome: false), _askTimeout);
            return new Resubscribed(connected, null);
        }
        catch (Exception e) when (e is AskTimeoutException or SessionUnavailableException)
        {
            return new Resubscribed(null, e.Message);
        }
    }

    private void OnResubscribed(Resubscribed result)
    {
        if (result.Connected is { JournalBefore: 0 })
        {
            _resubscribingSince = null;
            // Sockets still waiting for a replay: the join may have been lost with the old session.
            foreach (var (join, replyTo) in _joining.Values.ToList())
            {
                _sessions.Tell(new ChatSessionCommands.Connect(_userId, join.Since, Self, join.SendWelcome, join.Socket), replyTo);
            }

            return;
        }

        var fellBehind = result.Connected is not null;
        if (fellBehind || DateTime.UtcNow - _resubscribingSince > _giveUpAfter)
        {
            // Too far behind for the session's memory, or it cannot be reached: the sockets reconnect and resume.
            _log.Warning("Session of {0} could not be subscribed again ({1}); closing its sockets here", _userId, result.Error ?? "events older than memory");
            Broadcast(new SessionEnded("session moved; reconnect to resume"));
            Context.Stop(Self);
            return;
        }

        Timers.StartSingleTimer(Resubscribe.Instance, Resubscribe.Instance, _retry);
        _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, LastRetry.Ticks));
    }

    private void Broadcast(object message)
    {
        foreach (var socket in _sockets)
        {
            socket.Tell(message);
        }
    }

    protected override void PostStop()
    {
        _sessions.Tell(new ChatSessionCommands.Disconnect(_userId, Self));
        base.PostStop();
    }

    private sealed class Resubscribe
    {
        public static readonly Resubscribe Instance = new();

        private Resubscribe()
        {
        }
    }

    private sealed record Resubscribed(Connected? Connected, string? Error);
}
