namespace MessagingServer.Domain.Broadcasts;

/// <summary>
/// Where a broadcast stands: what <c>GET /api/users/{userId}/broadcasts/{id}</c> answers and what the
/// <c>broadcast</c> event carries. <see cref="IsFinished"/> once every recipient is counted somewhere.
/// </summary>
public sealed record BroadcastProgress(string Id, int Total, int Sent, int Failed, int Skipped, int Cancelled)
{
    public int Done => Sent + Failed + Skipped + Cancelled;

    public bool IsFinished => Done >= Total;
}
