namespace MessagingServer.Sessions;

/// <summary>Thrown by a session whose event the journal refused, so that its supervisor restarts it from the journal.</summary>
public sealed class StoredEventRejectedException(string userId, Exception cause)
    : Exception($"an event of {userId} was refused by the journal; restarting from what is stored", cause)
{
    public string UserId { get; } = userId;
}
