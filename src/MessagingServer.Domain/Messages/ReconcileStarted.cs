namespace MessagingServer.Domain.Messages;

/// <summary>
/// Not shown: the provider call for <see cref="Id"/> ended without an answer (<see cref="Reason"/>), so the session looks
/// the message up at the provider until it is found or its window (counted from the send's own time) is over.
/// Stored so that a restart, kill -9 included, carries on with the lookup instead of guessing.
/// Stored as JSON (manifest <c>reconcile-started.v1</c>): add optional members only.
/// </summary>
public sealed record ReconcileStarted(string Id, ProviderError Reason, DateTimeOffset At) : ISessionEvent;
