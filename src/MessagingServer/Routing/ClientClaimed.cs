using MessagingServer.Domain.Messages;

namespace MessagingServer.Routing;

/// <summary>Stored by the client directory: <paramref name="UserId"/> messaged <paramref name="ClientNumber"/> at <paramref name="At"/>.</summary>
public sealed record ClientClaimed(string ClientNumber, string UserId, DateTimeOffset At) : IStoredState
{
    public const string Manifest = "client-claimed.v1";
}

/// <summary>Every claim the client directory holds, stored so that it recovers without reading all of them.</summary>
public sealed record ClientDirectorySnapshot(IReadOnlyList<ClientClaimed> Claims) : IStoredState
{
    public const string Manifest = "client-directory-snapshot.v1";
}
