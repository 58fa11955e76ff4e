using Akka.Actor;

namespace MessagingServer.Sessions;

/// <summary>Asks a session (through the registry) and turns "no answer" and "unavailable" into one fallback value.</summary>
public static class SessionAsk
{
    public static async Task<T> AskOrAsync<T>(this IActorRef sessions, IWithUserId command, TimeSpan timeout, T unavailable, CancellationToken cancellationToken = default)
    {
        try
        {
            return await sessions.Ask<T>(command, timeout, cancellationToken);
        }
        catch (Exception e) when (e is AskTimeoutException or SessionUnavailableException)
        {
            return unavailable;
        }
    }
}
