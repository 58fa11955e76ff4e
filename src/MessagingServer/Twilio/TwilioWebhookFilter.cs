using MessagingServer.Endpoints;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using static MessagingServer.Twilio.TwilioWebhookEndpoints;

namespace MessagingServer.Twilio;

/// <summary>
/// The checks every <c>/twilio</c> webhook passes before its handler runs: Twilio is configured (else 404),
/// the body is a form (else 415) of at most <see cref="TwilioOptions.MaxWebhookBytes"/> (else 413, also when
/// chunked), and <see cref="TwilioWebhookVerifier"/> finds it signed by Twilio for our account (else 403, and
/// a warning). The form it read is the request's <see cref="HttpRequest.Form"/> for the handler.
/// </summary>
internal sealed partial class TwilioWebhookFilter(IOptions<TwilioOptions> options, ILogger<TwilioWebhookMarker> logger)
    : IEndpointFilter
{
    private const string FormContentType = "application/x-www-form-urlencoded";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        var context = invocation.HttpContext;
        var twilio = options.Value;
        if (!twilio.IsConfigured)
        {
            return Problems.Result(StatusCodes.Status404NotFound, TwilioWebhookEndpoints.NotConfiguredCode, "Twilio is not configured on this server");
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(FormContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Result(StatusCodes.Status415UnsupportedMediaType, TwilioWebhookEndpoints.UnsupportedMediaTypeCode, $"Twilio webhooks are {FormContentType}");
        }

        if (await ReadFormAsync(context, twilio.MaxWebhookBytes) is not { } form)
        {
            return Problems.Result(
                StatusCodes.Status413PayloadTooLarge, TwilioWebhookEndpoints.FormTooLargeCode, $"Webhook forms are limited to {twilio.MaxWebhookBytes} bytes");
        }

        var verdict = TwilioWebhookVerifier.Verify(twilio, context.Request, form);
        if (verdict == TwilioWebhookVerdict.Valid)
        {
            return await next(invocation);
        }

        LogRefused(logger, context.Request.Path.Value, context.Connection.RemoteIpAddress?.ToString(), verdict);
        return verdict == TwilioWebhookVerdict.WrongAccount
            ? Problems.Result(StatusCodes.Status403Forbidden, TwilioWebhookEndpoints.WrongAccountCode, "The webhook is for another Twilio account")
            : Problems.Result(StatusCodes.Status403Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode, "Missing or invalid X-Twilio-Signature");
    }

    /// <summary>The form, or null when it is over <paramref name="limit"/> bytes.</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        try
        {
            return await context.Request.ReadFormAsync(
                new FormOptions { ValueCountLimit = 256, KeyLengthLimit = 256, ValueLengthLimit = limit, BufferBody = false },
                context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused Twilio webhook {Path} from {RemoteIp}: {Verdict}")]
    private static partial void LogRefused(ILogger logger, string? path, string? remoteIp, TwilioWebhookVerdict verdict);
}
