using Akka.Actor;
using Akka.Hosting;
using MessagingServer.Hosting;
using MessagingServer.Sessions;

namespace MessagingServer.WebSockets;

/// <summary>
/// This node's <see cref="UserHub"/>s, one per user with sockets here: created on a socket's join, stopped once
/// its last socket has left. Node-local: nothing here crosses nodes but what the hubs say to the sessions.
/// </summary>
public sealed class UserHubs : ReceiveActor
{
    private readonly IActorRef _sessions;
    private readonly ChatSessionOptions _options;

    /// <summary>Each user's hub and how many joins were sent to it, so an idle report that raced a join is ignored.</summary>
    private readonly Dictionary<string, (IActorRef Hub, int Joins)> _hubs = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _users = [];

    public UserHubs(IActorRef sessions, ChatSessionOptions options)
    {
        _sessions = sessions;
        _options = options;
        Receive<Join>(join =>
        {
            var (hub, joins) = _hubs.TryGetValue(join.UserId, out var known) ? known : (Start(join.UserId), 0);
            _hubs[join.UserId] = (hub, joins + 1);
            hub.Forward(join);
        });
        Receive<Leave>(leave =>
        {
            if (_hubs.TryGetValue(leave.UserId, out var known))
            {
                known.Hub.Forward(leave);
            }
        });
        Receive<Idle>(idle =>
        {
            if (_hubs.TryGetValue(idle.UserId, out var known) && known.Hub.Equals(Sender) && known.Joins == idle.JoinsSeen)
            {
                Forget(Sender);
                Context.Stop(Sender);
            }
        });
        Receive<Terminated>(t => Forget(t.ActorRef));
    }

    public static Props Props(IActorRef sessions, ChatSessionOptions options) =>
        Akka.Actor.Props.Create(() => new UserHubs(sessions, options));

    private IActorRef Start(string userId)
    {
        var hub = Context.ActorOf(UserHub.Props(userId, _sessions, _options.SessionAskTimeout, _options.SessionConnectTimeout));
        Context.Watch(hub);
        _users[hub] = userId;
        return hub;
    }

    private void Forget(IActorRef hub)
    {
        if (_users.Remove(hub, out var userId) && _hubs.TryGetValue(userId, out var known) && known.Hub.Equals(hub))
        {
            _hubs.Remove(userId);
        }
    }

    /// <summary>
    /// A socket's outgoing stream joins its user's hub; the reply is the session's <see cref="Connected"/>.
    /// The socket gets the welcome (unless <paramref name="SendWelcome"/> is false) and the events after
    /// <paramref name="Since"/> (or the acked cursor), then every live event.
    /// </summary>
    public sealed record Join(string UserId, long? Since, IActorRef Socket, bool SendWelcome = true);

    public sealed record Leave(string UserId, IActorRef Socket);

    /// <summary>From a hub whose last socket has left, after <paramref name="JoinsSeen"/> joins.</summary>
    public sealed record Idle(string UserId, int JoinsSeen);
}

/// <summary>Starts this node's hubs beside the session region.</summary>
internal sealed class UserHubsContributor : IAkkaContributor
{
    public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithActors((system, registry, _) =>
        {
            var sessions = registry.Get<ChatSessionRegistry>();
            registry.Register<UserHubs>(system.ActorOf(UserHubs.Props(sessions, provider.GetRequiredService<ChatSessionOptions>()), "hubs"));
        });
}
