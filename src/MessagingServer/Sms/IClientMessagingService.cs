using MessagingServer.Domain.Messages;

namespace MessagingServer.Sms;

/// <summary>
/// Sends one SMS for a session. Progress after acceptance (sent, delivered, failed) comes back later
/// through <see cref="ISmsIngress.ReportStatusAsync"/>, the same path the provider's callbacks take.
/// </summary>
public interface IClientMessagingService
{
    Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken);
}

/// <summary>
/// One SMS to send (an MMS when <see cref="Media"/> lists URLs). <see cref="MessageId"/> is ours; the provider's id
/// comes back in <see cref="SendOutcome.Accepted"/>.
/// </summary>
public sealed record OutboundSms(
    string UserId, string MessageId, string From, string To, string Body, string? CorrelationId = null, IReadOnlyList<string>? Media = null);
