using MessagingServer.Endpoints;
using System.Text;
using MessagingServer.Domain.Protocol;
using MessagingServer.OpenApi;
using MessagingServer.Sms;

namespace MessagingServer.Twilio;

/// <summary>
/// Twilio's webhooks: <c>POST /twilio/sms</c> (an inbound SMS) and <c>POST /twilio/status</c> (a delivery
/// report for one of our sends), both form-encoded. <see cref="TwilioWebhookFilter"/> on the <c>/twilio</c> group
/// lets through only forms signed by Twilio for our account (else 403, nothing passed on); the answer comes only
/// after the session has stored the event, so Twilio retries when storage is down (503).
/// </summary>
public static partial class TwilioWebhookEndpoints
{
    public const string GroupPath = "/twilio";
    public const string SmsPath = GroupPath + "/sms";
    public const string StatusPath = GroupPath + "/status";
    public const string EmptyTwiml = """<?xml version="1.0" encoding="UTF-8"?><Response></Response>""";

    public const string InvalidSignatureCode = "invalid_signature";
    public const string WrongAccountCode = "wrong_account";
    public const string NotConfiguredCode = "twilio_not_configured";
    public const string FormTooLargeCode = "form_too_large";
    public const string UnsupportedMediaTypeCode = "unsupported_media_type";

    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder endpoints)
    {
        // Outermost first: every answer is measured, refusals included.
        var webhooks = endpoints.MapGroup(GroupPath).AddEndpointFilter(MeasureAsync).AddEndpointFilter<TwilioWebhookFilter>().DescribeTwilioWebhooks();
        webhooks.MapPost(SmsPath[GroupPath.Length..], HandleSmsAsync).DescribeInboundSmsWebhook();
        webhooks.MapPost(StatusPath[GroupPath.Length..], HandleStatusAsync).DescribeStatusWebhook();
        return endpoints;
    }

    /// <summary>Runs after <see cref="TwilioWebhookFilter"/>: the form is read and verified.</summary>
    private static async Task<IResult> HandleSmsAsync(HttpContext context, ILogger<TwilioWebhookMarker> logger)
    {
        var form = context.Request.Form;
        var parsed = TwilioWebhookForms.ReadInbound(form, Observability.Telemetry.CorrelationIdOf(System.Diagnostics.Activity.Current));
        if (parsed.Value is not { } sms)
        {
            return Problem(StatusCodes.Status400BadRequest, parsed.Problem ?? "Invalid inbound SMS", parsed.ProblemCode ?? ErrorCodes.InvalidField);
        }

        if (Ingress(context, logger) is not { } ingress)
        {
            return Unavailable();
        }

        var result = await ingress.ReceiveAsync(sms, context.RequestAborted);
        LogInbound(logger, LevelFor(result), sms.ProviderSid, sms.Media.Count, result);
        return result == IngressResult.Unavailable
            ? Unavailable()
            : Results.Text(EmptyTwiml, "text/xml", Encoding.UTF8, StatusCodes.Status200OK);
    }

    private static async Task<IResult> HandleStatusAsync(HttpContext context, ILogger<TwilioWebhookMarker> logger)
    {
        var form = context.Request.Form;
        var parsed = TwilioWebhookForms.ReadStatus(context.Request.Query, form, Observability.Telemetry.CorrelationIdOf(System.Diagnostics.Activity.Current));
        if (parsed.ProblemCode is { } code)
        {
            return Problem(StatusCodes.Status400BadRequest, parsed.Problem ?? "Invalid status callback", code);
        }

        if (parsed.Value is not { } report)
        {
            LogStatusSkipped(logger, form["MessageStatus"].ToString());
            return Results.Ok();
        }

        if (Ingress(context, logger) is not { } ingress)
        {
            return Unavailable();
        }

        var result = await ingress.ReportStatusAsync(report, context.RequestAborted);
        LogStatus(logger, LevelFor(result), report.MessageId, report.Status.ToString(), result);
        return result == IngressResult.Unavailable ? Unavailable() : Results.Ok();
    }

    /// <summary>Webhook latency by endpoint and answer, refusals by the filter included.</summary>
    private static async ValueTask<object?> MeasureAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await next(invocation);
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        var metrics = invocation.HttpContext.RequestServices.GetRequiredService<Observability.MessagingMetrics>();
        // Labelled by the route template, never by the path as the client typed it (case variants would each make a series).
        var route = (invocation.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        metrics.Webhook(route, System.Diagnostics.Stopwatch.GetElapsedTime(started), status);
        return result;
    }

    private static ISmsIngress? Ingress(HttpContext context, ILogger logger)
    {
        var ingress = context.RequestServices.GetService<ISmsIngress>();
        if (ingress is null)
        {
            LogNoIngress(logger);
        }

        return ingress;
    }

    private static IResult Unavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Storage is unavailable; Twilio may retry", ErrorCodes.Unavailable);

    private static IResult Problem(int status, string title, string code) => Problems.Result(status, code, title);

    /// <summary>
    /// A stored webhook is routine (thousands a second, counted in the metrics): Debug. One that could not be
    /// stored (Twilio retries it) is a warning, one that matched nothing is information.
    /// </summary>
    private static LogLevel LevelFor(IngressResult result) => result switch
    {
        IngressResult.Stored => LogLevel.Debug,
        IngressResult.Ignored => LogLevel.Information,
        _ => LogLevel.Warning,
    };

    [LoggerMessage(Message = "Twilio inbound SMS {ProviderSid} with {MediaCount} media: {IngressResult}")]
    private static partial void LogInbound(ILogger logger, LogLevel level, string? providerSid, int mediaCount, IngressResult ingressResult);

    [LoggerMessage(Message = "Twilio status {MessageStatus} for {MessageId}: {IngressResult}")]
    private static partial void LogStatus(ILogger logger, LogLevel level, string messageId, string messageStatus, IngressResult ingressResult);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio status {MessageStatus} is not tracked; nothing to do")]
    private static partial void LogStatusSkipped(ILogger logger, string messageStatus);

    [LoggerMessage(Level = LogLevel.Error, Message = "No ISmsIngress is registered: Twilio webhooks cannot be delivered")]
    private static partial void LogNoIngress(ILogger logger);

    /// <summary>Log category for the Twilio webhooks.</summary>
    public sealed class TwilioWebhookMarker;
}
