namespace MessagingServer.Sessions;

/// <summary>The registry's answer for a session that cannot run now (its storage failed); callers answer "unavailable".</summary>
public sealed class SessionUnavailableException(string userId, string reason)
    : Exception($"The session of {userId} is unavailable: {reason}")
{
    public string UserId { get; } = userId;
}
