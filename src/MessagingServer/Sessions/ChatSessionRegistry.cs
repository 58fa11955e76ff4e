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
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ChatSessionRegistry(Func<string, Props> sessionProps)
    {
        _sessionProps = sessionProps;

        Receive<Passivate>(OnPassivate);
        Receive<PassivationCancelled>(OnPassivationCancelled);
        Receive<Terminated>(OnTerminated);
        Receive<GetStats>(_ => Sender.Tell(new Stats(_sessions.Count)));
        Receive<IWithUserId>(Route);
    }

    public static Props Props(Func<string, Props> sessionProps) =>
        Akka.Actor.Props.Create(() => new ChatSessionRegistry(sessionProps));

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
        if (_passivating.TryGetValue(message.UserId, out var buffer))
        {
            buffer.Add((message, Sender));
            return;
        }

        SessionFor(message.UserId).Forward(message);
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
        if (_passivating.Remove(userId, out var buffer) && buffer.Count > 0)
        {
            _log.Debug("Session {0} stopped with {1} messages waiting; starting it again", userId, buffer.Count);
            var session = SessionFor(userId);
            foreach (var (message, sender) in buffer)
            {
                session.Tell(message, sender);
            }
        }
    }

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
