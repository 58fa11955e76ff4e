namespace MessagingServer.Domain.Messages;

/// <summary>
/// Stored state that is not a session's event: snapshots (e.g. a session's), and the records of the other
/// persistent actors (the client directory's claims). Like <see cref="ISessionEvent"/>, every implementation is
/// written as JSON under a versioned manifest: add optional members only, never rename or remove one.
/// </summary>
public interface IStoredState;
