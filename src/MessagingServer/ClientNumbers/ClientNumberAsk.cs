using Akka.Actor;

namespace MessagingServer.ClientNumbers;

/// <summary>Asks a client number (through its region) and turns "no answer" and "unavailable" into null.</summary>
public static class ClientNumberAsk
{
    public static async Task<T?> AskOrNullAsync<T>(this IActorRef clientNumbers, IWithClientNumber command, TimeSpan timeout, CancellationToken cancellationToken = default)
        where T : class
    {
        try
        {
            return await clientNumbers.Ask<T>(command, timeout, cancellationToken);
        }
        catch (Exception e) when (e is AskTimeoutException or ClientNumberUnavailableException)
        {
            return null;
        }
    }
}
