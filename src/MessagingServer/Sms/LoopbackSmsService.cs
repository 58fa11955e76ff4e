using MessagingServer.Domain.Messages;
using Microsoft.Extensions.Options;

namespace MessagingServer.Sms;

/// <summary>Settings of the loopback provider (<c>Sms:Loopback</c>).</summary>
public sealed class LoopbackOptions
{
    public const string Section = "Sms:Loopback";

    /// <summary>Answer every message with an inbound SMS from its recipient: <c>Auto-reply: &lt;body&gt;</c>, with the same media.</summary>
    public bool AutoReply { get; set; }

    /// <summary>
    /// The fraction (0 to 1) of sends whose answer the provider "loses": the message goes out, but the send hears a
    /// timeout and reports no status, so the server has to look it up (reconciliation), which finds it delivered.
    /// 0 by default; 1 loses every answer (for tests and trying it in the console).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double LoseAnswers { get; set; }
}

/// <summary>
/// The provider used when no Twilio credentials are configured: every message is accepted, then
/// reported <c>sent</c> and <c>delivered</c> through the same ingress as real delivery reports, and
/// optionally answered through the same ingress as real inbound SMS. With <see cref="LoopbackOptions.LoseAnswers"/>
/// some sends answer "timeout" instead (they did go out), and <see cref="FindAsync"/> finds them.
/// </summary>
public sealed partial class LoopbackSmsService(
    IServiceProvider services, IOptions<LoopbackOptions> options, ILogger<LoopbackSmsService> logger, TimeProvider clock)
    : IClientMessagingService
{
    private readonly LoopbackSentLog _lost = new();

    public Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var sid = "LB" + sms.MessageId;
        using var activity = Observability.Telemetry.StartLinked("loopback send", System.Diagnostics.ActivityKind.Client, sms.CorrelationId);
        LogAccepted(logger, sms.UserId, sms.MessageId, sms.To, sms.CorrelationId);
        var loseAnswer = options.Value.LoseAnswers > 0 && Random.Shared.NextDouble() < options.Value.LoseAnswers;
        if (loseAnswer)
        {
            _lost.Add(sms, sid, clock.GetUtcNow());
        }

        _ = Task.Run(() => ReportAsync(sms, sid, reportStatus: !loseAnswer), CancellationToken.None);
        return Task.FromResult<SendOutcome>(loseAnswer
            ? new SendOutcome.Unknown(new ProviderError("timeout", "the loopback provider lost this answer (Sms:Loopback:LoseAnswers); the SMS did go out"))
            : new SendOutcome.Accepted(sid, MessageStatus.Queued));
    }

    /// <summary>Finds the sends whose answer was lost (only those: every other send's answer arrived).</summary>
    public Task<LookupOutcome> FindAsync(OutboundSms sms, DateTimeOffset sentAfter, CancellationToken cancellationToken) =>
        Task.FromResult(_lost.Find(sms, sentAfter));

    private async Task ReportAsync(OutboundSms sms, string sid, bool reportStatus)
    {
        try
        {
            var ingress = services.GetRequiredService<ISmsIngress>();
            if (reportStatus)
            {
                await ingress.ReportStatusAsync(new StatusReport(sms.UserId, sms.MessageId, MessageStatus.Sent, null, sid, sms.CorrelationId), CancellationToken.None);
                await ingress.ReportStatusAsync(new StatusReport(sms.UserId, sms.MessageId, MessageStatus.Delivered, null, sid, sms.CorrelationId), CancellationToken.None);
            }

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
