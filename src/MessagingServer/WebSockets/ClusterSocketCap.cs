using Akka.Actor;
using Akka.Hosting;
using MessagingServer.Security;
using MessagingServer.Sessions;
using Microsoft.Extensions.Options;

namespace MessagingServer.WebSockets;

/// <summary>
/// <c>Limits:MaxSocketsPerUser</c> across the cluster: the user's session counts the sockets behind every node's
/// hub, so a user cannot get past the cap by spreading sockets over nodes (each node also enforces it for its own
/// sockets, before asking). A session that does not answer in time is no reason to refuse: the socket connects
/// and waits for it as usual.
/// </summary>
public sealed class ClusterSocketCap(IRequiredActor<ChatSessionRegistry> registry, IOptions<LimitsOptions> limits, ChatSessionOptions options)
{
    public async Task<bool> IsReachedAsync(string userId, CancellationToken cancellationToken)
    {
        var sessions = await registry.GetAsync(cancellationToken);
        try
        {
            var info = await sessions.Ask<SessionInfo>(new ChatSessionCommands.GetSessionInfo(userId), options.SessionAskTimeout, cancellationToken);
            return info.Subscribers >= limits.Value.MaxSocketsPerUser;
        }
        catch (Exception e) when (e is AskTimeoutException or SessionUnavailableException)
        {
            return false;
        }
    }
}
