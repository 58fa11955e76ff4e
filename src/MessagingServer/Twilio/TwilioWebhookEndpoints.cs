using MessagingServer.Endpoints;
using System.Text;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sms;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MessagingServer.Twilio;

/// <summary>
/// Twilio's webhooks: <c>POST /twilio/sms</c> (an inbound SMS) and <c>POST /twilio/status</c> (a delivery
/// report for one of our sends), both form-encoded. Every request must carry a valid
/// <c>X-Twilio-Signature</c> and our AccountSid (else 403, nothing passed on); the answer comes only after
/// the session has stored the event, so Twilio retries when storage is down (503).
/// </summary>
public static partial class TwilioWebhookEndpoints
{
    public const string SmsPath = "/twilio/sms";
    public const string StatusPath = "/twilio/status";
    public const string EmptyTwiml = """<?xml version="1.0" encoding="UTF-8"?><Response></Response>""";

    public const string InvalidSignatureCode = "invalid_signature";
    public const string WrongAccountCode = "wrong_account";
    public const string NotConfiguredCode = "twilio_not_configured";
    public const string FormTooLargeCode = "form_too_large";
    public const string UnsupportedMediaTypeCode = "unsupported_media_type";

    private const string FormContentType = "application/x-www-form-urlencoded";

    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SmsPath, HandleSmsAsync).AddEndpointFilter(MeasureAsync);
        endpoints.MapPost(StatusPath, HandleStatusAsync).AddEndpointFilter(MeasureAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleSmsAsync(HttpContext context, IOptions<TwilioOptions> options, ILogger<TwilioWebhookMarker> logger)
    {
        var (form, refusal) = await ReadVerifiedFormAsync(context, options.Value, logger);
        if (form is null)
        {
            return refusal!;
        }

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

    private static async Task<IResult> HandleStatusAsync(HttpContext context, IOptions<TwilioOptions> options, ILogger<TwilioWebhookMarker> logger)
    {
        var (form, refusal) = await ReadVerifiedFormAsync(context, options.Value, logger);
        if (form is null)
        {
            return refusal!;
        }

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

    /// <summary>Webhook latency by endpoint and answer, from the first byte read to the answer chosen.</summary>
    private static async ValueTask<object?> MeasureAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await next(invocation);
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        var metrics = invocation.HttpContext.RequestServices.GetRequiredService<Observability.MessagingMetrics>();
        metrics.Webhook(invocation.HttpContext.Request.Path.Value ?? "", System.Diagnostics.Stopwatch.GetElapsedTime(started), status);
        return result;
    }

    /// <summary>The form, once it is known to be a signed one from our Twilio account; otherwise the answer to give.</summary>
    private static async Task<(IFormCollection? Form, IResult? Refusal)> ReadVerifiedFormAsync(
        HttpContext context, TwilioOptions options, ILogger logger)
    {
        var request = context.Request;
        if (!options.IsConfigured)
        {
            return (null, Problem(StatusCodes.Status404NotFound, "Twilio is not configured on this server", NotConfiguredCode));
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(FormContentType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, $"Twilio webhooks are {FormContentType}", UnsupportedMediaTypeCode));
        }

        var limit = options.MaxWebhookBytes;
        if (request.ContentLength > limit)
        {
            return (null, FormTooLarge(limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(
                new FormOptions { ValueCountLimit = 256, KeyLengthLimit = 256, ValueLengthLimit = limit, BufferBody = false },
                context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, FormTooLarge(limit));
        }
        catch (InvalidDataException)
        {
            return (null, FormTooLarge(limit));
        }

        var verdict = TwilioWebhookVerifier.Verify(options, request, form);
        if (verdict == TwilioWebhookVerdict.Valid)
        {
            return (form, null);
        }

        LogRefused(logger, request.Path.Value, context.Connection.RemoteIpAddress?.ToString(), verdict);
        return verdict == TwilioWebhookVerdict.WrongAccount
            ? (null, Problem(StatusCodes.Status403Forbidden, "The webhook is for another Twilio account", WrongAccountCode))
            : (null, Problem(StatusCodes.Status403Forbidden, "Missing or invalid X-Twilio-Signature", InvalidSignatureCode));
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

    private static IResult FormTooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, $"Webhook forms are limited to {limit} bytes", FormTooLargeCode);

    private static IResult Unavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Storage is unavailable; Twilio may retry", ErrorCodes.Unavailable);

    private static IResult Problem(int status, string title, string code) => Problems.Result(status, code, title);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused Twilio webhook {Path} from {RemoteIp}: {Verdict}")]
    private static partial void LogRefused(ILogger logger, string? path, string? remoteIp, TwilioWebhookVerdict verdict);

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
