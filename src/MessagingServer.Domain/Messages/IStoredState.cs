namespace MessagingServer.Domain.Messages;

/// <summary>
/// A snapshot of state that is stored (e.g. a session's snapshot). Like <see cref="ISessionEvent"/>, every
/// implementation is written as JSON under a versioned manifest: add optional members only, never rename or
/// remove one.
/// </summary>
public interface IStoredState;
