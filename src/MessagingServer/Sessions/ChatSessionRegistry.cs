using Akka.Actor;
using Akka.Event;

namespace MessagingServer.Sessions;

/// <summary>
/// Creates one <see cref="ChatSessionActor"/> per user on first use and supervises them. Like a shard
/// region, it buffers messages for a session that is passivating and starts a fresh one for them, so
/// nothing sent during a stop is lost. Socket and webhook code only ever talk to this actor.
/// </summary>
public sealed class ChatSessionRegistry : ReceiveActor
{
    private readonly Func<string, Props> _sessionProps;
    private readonly Dictionary<string, IActorRef> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _users = [];
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _passivating = new(StringComparer.Ordinal);

    /// <summary>Sessions created but not yet recovered: their messages wait here, so none is lost in a failed recovery.</summary>
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _starting = new(StringComparer.Ordinal);

    /// <summary>Users whose session failed (storage down): refused until the time given, then tried again.</summary>
    private readonly Dictionary<string, (DateTime Until, TimeSpan Delay)> _backoff = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ChatSessionRegistry(Func<string, Props> sessionProps, TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null)
    {
        _sessionProps = sessionProps;
        _minBackoff = minBackoff ?? TimeSpan.FromMilliseconds(200);
        _maxBackoff = maxBackoff ?? TimeSpan.FromSeconds(10);
        Receive<Recovered>(OnRecovered);

        Receive<Passivate>(OnPassivate);
        Receive<PassivationCancelled>(OnPassivationCancelled);
        Receive<Terminated>(OnTerminated);
        Receive<GetStats>(_ => Sender.Tell(new Stats(_sessions.Count)));
        Receive<IWithUserId>(Route);
    }

    private readonly TimeSpan _minBackoff;
    private readonly TimeSpan _maxBackoff;

    public static Props Props(Func<string, Props> sessionProps, TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null) =>
        Akka.Actor.Props.Create(() => new ChatSessionRegistry(sessionProps, minBackoff, maxBackoff));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: 10,
        withinTimeRange: TimeSpan.FromMinutes(1),
        localOnlyDecider: e => e switch
        {
            ActorInitializationException => Directive.Stop,
            _ => Directive.Restart,
        });

    private void Route(IWithUserId message)
    {
        if (_backoff.TryGetValue(message.UserId, out var backoff) && DateTime.UtcNow < backoff.Until)
        {
            Sender.Tell(new Status.Failure(new SessionUnavailableException(message.UserId, "storage is unavailable; retry shortly")));
            return;
        }

        if (_passivating.TryGetValue(message.UserId, out var buffer) || _starting.TryGetValue(message.UserId, out buffer))
        {
            buffer.Add((message, Sender));
            return;
        }

        var isNew = !_sessions.ContainsKey(message.UserId);
        var session = SessionFor(message.UserId);
        if (isNew)
        {
            _starting[message.UserId].Add((message, Sender));
            return;
        }

        session.Forward(message);
    }

    private void OnRecovered(Recovered recovered)
    {
        _backoff.Remove(recovered.UserId);
        if (_starting.Remove(recovered.UserId, out var buffer) && _sessions.TryGetValue(recovered.UserId, out var session))
        {
            foreach (var (message, sender) in buffer)
            {
                session.Tell(message, sender);
            }
        }
    }

    private IActorRef SessionFor(string userId)
    {
        if (_sessions.TryGetValue(userId, out var session))
        {
            return session;
        }

        session = Context.ActorOf(_sessionProps(userId), Uri.EscapeDataString(userId));
        Context.Watch(session);
        _sessions[userId] = session;
        _users[session] = userId;
        _starting[userId] = [];
        return session;
    }

    private void OnPassivate(Passivate passivate)
    {
        if (_sessions.TryGetValue(passivate.UserId, out var session) && !_passivating.ContainsKey(passivate.UserId))
        {
            _passivating[passivate.UserId] = [];
            session.Tell(StopIfIdle.Instance);
        }
    }

    private void OnPassivationCancelled(PassivationCancelled cancelled)
    {
        if (_passivating.Remove(cancelled.UserId, out var buffer) && _sessions.TryGetValue(cancelled.UserId, out var session))
        {
            foreach (var (message, sender) in buffer)
            {
                session.Tell(message, sender);
            }
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        if (!_users.Remove(terminated.ActorRef, out var userId))
        {
            return;
        }

        _sessions.Remove(userId);
        var passivated = _passivating.Remove(userId, out var buffer);
        if (_starting.Remove(userId, out var waiting) || !passivated)
        {
            // It stopped without being asked: its storage failed (in recovery or on a write). Refuse for a
            // while, doubling the wait each time, and answer whoever was waiting right away.
            var delay = _backoff.TryGetValue(userId, out var previous)
                ? TimeSpan.FromTicks(Math.Min(previous.Delay.Ticks * 2, _maxBackoff.Ticks))
                : _minBackoff;
            _backoff[userId] = (DateTime.UtcNow + delay, delay);
            _log.Warning("Session {0} stopped unexpectedly; refusing it for {1}", userId, delay);
            foreach (var (_, sender) in (waiting ?? []).Concat(buffer ?? []))
            {
                sender.Tell(new Status.Failure(new SessionUnavailableException(userId, "storage is unavailable; retry shortly")));
            }

            return;
        }

        if (buffer is { Count: > 0 })
        {
            _log.Debug("Session {0} stopped with {1} messages waiting; starting it again", userId, buffer.Count);
            SessionFor(userId);
            _starting[userId].AddRange(buffer);
        }
    }

    /// <summary>From a session that has recovered its state and can take messages.</summary>
    public sealed record Recovered(string UserId);

    /// <summary>From a session that has been idle: stop me when you can.</summary>
    public sealed record Passivate(string UserId);

    /// <summary>From a session that got busy again before it stopped.</summary>
    public sealed record PassivationCancelled(string UserId);

    /// <summary>To a session: stop now if you are still idle, or say <see cref="PassivationCancelled"/>.</summary>
    public sealed class StopIfIdle
    {
        public static readonly StopIfIdle Instance = new();

        private StopIfIdle()
        {
        }
    }

    public sealed class GetStats
    {
        public static readonly GetStats Instance = new();

        private GetStats()
        {
        }
    }

    public sealed record Stats(int Sessions);
}
