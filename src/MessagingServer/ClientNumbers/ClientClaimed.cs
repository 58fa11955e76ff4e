using MessagingServer.Domain.Messages;

namespace MessagingServer.ClientNumbers;

/// <summary>
/// Stored by a client number's <see cref="ClientNumberActor"/>: <paramref name="UserId"/> messaged
/// <paramref name="ClientNumber"/> at <paramref name="At"/>, so a reply from that client goes to that user.
/// The manifest is the one the old process-wide directory wrote (its journal rows are no longer read).
/// </summary>
public sealed record ClientClaimed(string ClientNumber, string UserId, DateTimeOffset At) : IStoredState
{
    public const string Manifest = "client-claimed.v1";
}
