using MessagingServer.Domain.Messages;

namespace MessagingServer.Sms;

/// <summary>
/// Sends one SMS for a session. Progress after acceptance (sent, delivered, failed) comes back later
/// through <see cref="ISmsIngress.ReportStatusAsync"/>, the same path the provider's callbacks take.
/// </summary>
public interface IClientMessagingService
{
    Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken);

    /// <summary>
    /// Looks up a send whose answer was lost (<see cref="SendOutcome.Unknown"/>): does the provider have a message to
    /// <see cref="OutboundSms.To"/> from <see cref="OutboundSms.From"/> with this body, created at or after
    /// <paramref name="sentAfter"/>? Read-only, so asking again is always safe; it never sends anything.
    /// </summary>
    Task<LookupOutcome> FindAsync(OutboundSms sms, DateTimeOffset sentAfter, CancellationToken cancellationToken);
}

/// <summary>
/// One SMS to send (an MMS when <see cref="Media"/> lists URLs). <see cref="MessageId"/> is ours; the provider's id
/// comes back in <see cref="SendOutcome.Accepted"/>.
/// </summary>
public sealed record OutboundSms(
    string UserId, string MessageId, string From, string To, string Body, string? CorrelationId = null, IReadOnlyList<string>? Media = null);
