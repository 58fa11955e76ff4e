namespace MessagingServer.Domain.Messages;

/// <summary>
/// <c>broadcast</c>: where one of the user's broadcasts stands, in the user's stream like every event (stored, with
/// seq, replayable). Not one per recipient: one when it starts, a few as it goes, one when it ends. Every recipient is
/// counted in exactly one of <see cref="Sent"/> (handed to its sender as an ordinary outbound message),
/// <see cref="Failed"/>, <see cref="Skipped"/> (opted out) or <see cref="Cancelled"/>, or is still to go.
/// </summary>
public sealed record BroadcastProgressed(
    long Seq,
    string Id,
    int Total,
    int Sent,
    int Failed,
    int Skipped,
    int Cancelled,
    DateTimeOffset At) : ISequencedEvent;
