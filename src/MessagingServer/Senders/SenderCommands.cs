using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;
using MessagingServer.Sms;

namespace MessagingServer.Senders;

/// <summary>Every message for a sender carries its key (the sender number or Messaging Service SID), so the region can route it.</summary>
public interface IWithSenderKey
{
    string Sender { get; }
}

/// <summary>
/// From a session to the <see cref="SenderActor"/> of <paramref name="Sender"/>: send this stored message when its
/// turn comes. Sent again with the same <paramref name="MessageId"/> whenever the session has no answer yet; the
/// sender calls the provider at most once per id it remembers. With <paramref name="OutcomeOnly"/> the session
/// has already stored "call started": the sender only says how that call ended, and never calls for it.
/// <paramref name="Media"/> makes it an MMS.
/// </summary>
public sealed record DispatchSms(
    string Sender,
    string UserId,
    string MessageId,
    string To,
    string Body,
    string? CorrelationId = null,
    bool OutcomeOnly = false,
    IReadOnlyList<string>? Media = null) : IWithSenderKey;

/// <summary>From the sender to the session: the message's turn has come; store "call started", then answer <see cref="CallCleared"/>.</summary>
public sealed record StartCall(string UserId, string Sender, string MessageId) : IWithUserId;

/// <summary>
/// From the session to the sender: "call started" is stored (<paramref name="Go"/>), or the message is not
/// waiting for a call any more (already started, answered, or unknown) and must not be sent.
/// </summary>
public sealed record CallCleared(string Sender, string MessageId, bool Go) : IWithSenderKey;

public enum DispatchResultKind
{
    Accepted,
    Rejected,
    Unknown,
}

/// <summary>From the sender to the session: how the provider call for <paramref name="MessageId"/> ended.</summary>
public sealed record DispatchResult(
    string UserId,
    string MessageId,
    DispatchResultKind Kind,
    string? ProviderSid = null,
    MessageStatus Status = MessageStatus.Queued,
    ProviderError? Error = null,
    bool RecipientOptedOut = false) : IWithUserId
{
    public SendOutcome ToOutcome() => Kind switch
    {
        DispatchResultKind.Accepted => new SendOutcome.Accepted(ProviderSid ?? "", Status),
        DispatchResultKind.Rejected => new SendOutcome.Rejected(Error ?? new ProviderError(ErrorCodes.Unavailable, "rejected"), RecipientOptedOut),
        _ => new SendOutcome.Unknown(Error ?? new ProviderError("provider_error", "no answer")),
    };

    public static DispatchResult From(string userId, string messageId, SendOutcome outcome) => outcome switch
    {
        SendOutcome.Accepted a => new DispatchResult(userId, messageId, DispatchResultKind.Accepted, a.ProviderSid, a.Status),
        SendOutcome.Rejected r => new DispatchResult(userId, messageId, DispatchResultKind.Rejected, Error: r.Error, RecipientOptedOut: r.RecipientOptedOut),
        SendOutcome.Unknown u => new DispatchResult(userId, messageId, DispatchResultKind.Unknown, Error: u.Error),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
