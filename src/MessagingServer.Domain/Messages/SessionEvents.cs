namespace MessagingServer.Domain.Messages;

/// <summary>
/// Everything that is stored for a user. Visible events (with <see cref="ISequencedEvent.Seq"/>) are what
/// sockets see; the others are bookkeeping that only the session needs to recover its state.
/// Records are stored as they are: add optional members only, never rename or remove one.
/// </summary>
public interface ISessionEvent;

/// <summary>An event of the user's stream: numbered, persisted before any socket sees it, replayable.</summary>
public interface ISequencedEvent : ISessionEvent
{
    long Seq { get; }

    string Id { get; }

    DateTimeOffset At { get; }
}

/// <summary>
/// <c>outbound</c>: the user sent a message (from any device or the REST API). <see cref="Media"/> (MMS) is null for
/// a plain SMS and in rows stored before MMS, and is not written then.
/// </summary>
public sealed record OutboundAccepted(
    long Seq,
    string Id,
    string? ClientRef,
    string From,
    string To,
    string Body,
    DateTimeOffset At,
    MessageStatus Status,
    string Encoding,
    int Segments,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? Media = null) : ISequencedEvent;

/// <summary><c>status</c>: delivery progress of an outbound message.</summary>
public sealed record OutboundStatusChanged(
    long Seq,
    string Id,
    MessageStatus Status,
    ProviderError? Error,
    DateTimeOffset At,
    string? ProviderSid = null) : ISequencedEvent;

/// <summary><c>message</c>: an SMS from a client. <see cref="ProviderSid"/> (Twilio's MessageSid) dedups retries.</summary>
public sealed record InboundReceived(
    long Seq,
    string Id,
    string From,
    string To,
    string Body,
    IReadOnlyList<string> Media,
    DateTimeOffset At,
    string? ProviderSid) : ISequencedEvent;

/// <summary>The provider is about to be called for this message: after a crash it is never sent blindly again.</summary>
public sealed record DispatchStarted(string Id, DateTimeOffset At) : ISessionEvent;

/// <summary>
/// Not shown: the provider accepted the message (its SID, and where it stood: usually queued). Stored so that a
/// restart knows the send went out and never reports it as an unknown outcome. A later status is an
/// <see cref="OutboundStatusChanged"/>.
/// </summary>
public sealed record DispatchAccepted(string Id, string ProviderSid, MessageStatus Status, DateTimeOffset At) : ISessionEvent;

/// <summary>The user's devices have everything up to <see cref="Seq"/>.</summary>
public sealed record CursorAcked(long Seq) : ISessionEvent;

/// <summary>A client texted STOP (or the provider said so): no more SMS from <see cref="Sender"/> to <see cref="Client"/>.</summary>
public sealed record ClientOptedOut(string Sender, string Client, DateTimeOffset At) : ISessionEvent;

/// <summary>A client texted START / YES / UNSTOP.</summary>
public sealed record ClientOptedIn(string Sender, string Client, DateTimeOffset At) : ISessionEvent;
