using MessagingServer.Domain.Messages;

namespace MessagingServer.ClientNumbers;

/// <summary>A client number's whole state: its last writer (if any) and the sender numbers it has opted out of.</summary>
public sealed record ClientNumberSnapshot(string? LastWriter, DateTimeOffset? LastWrittenAt, IReadOnlyList<string> OptedOutOf) : IStoredState
{
    public const string Manifest = "client-number-snapshot.v1";
}
