using MessagingServer.Domain.Messages;

namespace MessagingServer.Broadcasts;

/// <summary>Stored by the broadcast index: a broadcast became unfinished (<see cref="Active"/>) or finished. Add optional members only.</summary>
public sealed record BroadcastIndexChanged(string UserId, string BroadcastId, bool Active) : IStoredState
{
    public const string Manifest = "broadcast-index-changed.v1";
}

/// <summary>The index's unfinished broadcasts at one point of its journal. Add optional members only.</summary>
public sealed record BroadcastIndexSnapshot(IReadOnlyList<BroadcastIndexEntry> Active) : IStoredState
{
    public const string Manifest = "broadcast-index-snapshot.v1";
}

/// <summary>
/// One entry of the wake index: an unfinished broadcast, or (<see cref="SessionWork"/> as its broadcast id) a user's
/// session that has sent since it started and has not yet stopped with every send settled.
/// </summary>
public sealed record BroadcastIndexEntry(string UserId, string BroadcastId)
{
    /// <summary>The broadcast id of a session's entry; no broadcast id has this shape.</summary>
    public const string SessionWork = "~session";
}
