using MessagingServer.Domain.Messages;
using Microsoft.Extensions.Options;

namespace MessagingServer.Sms;

/// <summary>Settings of the loopback provider (<c>Sms:Loopback</c>).</summary>
public sealed class LoopbackOptions
{
    public const string Section = "Sms:Loopback";

    /// <summary>Answer every message with an inbound SMS from its recipient: <c>Auto-reply: &lt;body&gt;</c>, with the same media.</summary>
    public bool AutoReply { get; set; }
}

/// <summary>
/// The provider used when no Twilio credentials are configured: every message is accepted, then
/// reported <c>sent</c> and <c>delivered</c> through the same ingress as real delivery reports, and
/// optionally answered through the same ingress as real inbound SMS.
/// </summary>
public sealed partial class LoopbackSmsService(IServiceProvider services, IOptions<LoopbackOptions> options, ILogger<LoopbackSmsService> logger)
    : IClientMessagingService
{
    public Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken)
    {
        var sid = "LB" + sms.MessageId;
        using var activity = Observability.Telemetry.StartLinked("loopback send", System.Diagnostics.ActivityKind.Client, sms.CorrelationId);
        LogAccepted(logger, sms.UserId, sms.MessageId, sms.To, sms.CorrelationId);
        _ = Task.Run(() => ReportAsync(sms, sid), CancellationToken.None);
        return Task.FromResult<SendOutcome>(new SendOutcome.Accepted(sid, MessageStatus.Queued));
    }

    private async Task ReportAsync(OutboundSms sms, string sid)
    {
        try
        {
            var ingress = services.GetRequiredService<ISmsIngress>();
            await ingress.ReportStatusAsync(new StatusReport(sms.UserId, sms.MessageId, MessageStatus.Sent, null, sid, sms.CorrelationId), CancellationToken.None);
            await ingress.ReportStatusAsync(new StatusReport(sms.UserId, sms.MessageId, MessageStatus.Delivered, null, sid, sms.CorrelationId), CancellationToken.None);
            if (options.Value.AutoReply)
            {
                await ingress.ReceiveAsync(new InboundSms(sms.To, sms.From, $"Auto-reply: {sms.Body}", sms.Media ?? [], "LR" + sms.MessageId, sms.CorrelationId), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogReportFailed(logger, e, sms.UserId, sms.MessageId);
        }
    }

    // Debug: the loopback sends nothing anywhere, and a line per message was a tenth of the allocations under load.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Loopback provider sending {MessageId} for {UserId} to {To} (correlation {CorrelationId})")]
    private static partial void LogAccepted(ILogger logger, string userId, string messageId, string to, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loopback could not report on {MessageId} for {UserId}")]
    private static partial void LogReportFailed(ILogger logger, Exception e, string userId, string messageId);
}
