using MessagingServer.Domain.Messages;

namespace MessagingServer.Sms;

/// <summary>
/// Where inbound SMS and delivery reports enter the sessions, from Twilio's webhooks and from the
/// loopback provider alike. Each call completes only once the owning session has stored the event.
/// </summary>
public interface ISmsIngress
{
    Task<IngressResult> ReceiveAsync(InboundSms sms, CancellationToken cancellationToken);

    Task<IngressResult> ReportStatusAsync(StatusReport report, CancellationToken cancellationToken);
}

/// <summary>An SMS from a client. <see cref="ProviderSid"/> (Twilio's MessageSid) makes retries harmless.</summary>
public sealed record InboundSms(string From, string To, string Body, IReadOnlyList<string> Media, string? ProviderSid, string? CorrelationId = null);

/// <summary>A delivery report for one of our outbound messages (routed by our own ids, carried in the callback URL).</summary>
public sealed record StatusReport(string UserId, string MessageId, MessageStatus Status, ProviderError? Error, string? ProviderSid, string? CorrelationId = null);

public enum IngressResult
{
    /// <summary>Stored (or already stored before: a duplicate). Safe to answer 200.</summary>
    Stored,

    /// <summary>Nothing matched (e.g. a status for an unknown message); nothing to retry.</summary>
    Ignored,

    /// <summary>Storage is down; the caller should ask the provider to retry (503).</summary>
    Unavailable,
}
