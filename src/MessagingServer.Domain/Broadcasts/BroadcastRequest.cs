namespace MessagingServer.Domain.Broadcasts;

/// <summary>
/// A valid broadcast: <see cref="To"/> are distinct E.164 numbers in the order first given, <see cref="Media"/> the
/// MMS URLs (empty for plain SMS), <see cref="ClientRef"/> the idempotency key (a repeat answers the first broadcast).
/// </summary>
public sealed record BroadcastRequest(IReadOnlyList<string> To, string Body, IReadOnlyList<string> Media, string? ClientRef);
