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

/// <summary>One SMS to send. <see cref="MessageId"/> is ours; the provider's id comes back in <see cref="SendOutcome.Accepted"/>.</summary>
public sealed record OutboundSms(string UserId, string MessageId, string From, string To, string Body, string? CorrelationId = null);

/// <summary>What the provider said about one send.</summary>
public abstract record SendOutcome
{
    /// <summary>The provider took it; <see cref="Status"/> is where it stands now (usually queued or sent).</summary>
    public sealed record Accepted(string ProviderSid, MessageStatus Status) : SendOutcome;

    /// <summary>The provider refused it for good (bad number, opted out, bad credentials...): never retried.</summary>
    public sealed record Rejected(ProviderError Error, bool RecipientOptedOut = false) : SendOutcome;

    /// <summary>No answer (timeout, 5xx): the SMS may or may not have gone out; it is not sent again blindly.</summary>
    public sealed record Unknown(ProviderError Error) : SendOutcome;
}
