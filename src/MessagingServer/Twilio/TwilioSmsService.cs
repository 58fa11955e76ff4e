using System.Globalization;
using System.Net;
using MessagingServer.Domain.Messages;
using MessagingServer.Sms;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace MessagingServer.Twilio;

/// <summary>
/// Sends SMS through the Twilio SDK (<see cref="MessageResource.CreateAsync(CreateMessageOptions, ITwilioRestClient)"/>):
/// per call, a <see cref="TwilioRestClient"/> over a <see cref="SystemNetHttpClient"/> over the named
/// <c>twilio</c> HttpClient from <see cref="IHttpClientFactory"/> (cheap: the connection pool is the factory's;
/// the SDK keeps the last response on its client, so none is shared between calls).
/// <para>Failure policy, per send:</para>
/// <list type="bullet">
/// <item>2xx with a sid: <see cref="SendOutcome.Accepted"/>.</item>
/// <item>429 or Twilio code 20429: Twilio took nothing, so the request is repeated after a backoff that
/// honours <c>Retry-After</c> (read from the SDK's last response), at most <see cref="TwilioOptions.MaxRetries"/>
/// times and <see cref="TwilioOptions.MaxRetryDelay"/> in all; then <see cref="SendOutcome.Rejected"/> with 20429.</item>
/// <item>Any other 4xx (21211 bad number, 21610 opted out, 21614, 21617, 20003 bad credentials, ...):
/// <see cref="SendOutcome.Rejected"/> with Twilio's code, never retried.</item>
/// <item>Timeout, 5xx (the SDK reports one with a body that is not Twilio's JSON as code 0), connection
/// failure, or an unreadable success: <see cref="SendOutcome.Unknown"/>.</item>
/// </list>
/// <para>
/// <b>Never resend blindly.</b> After a timeout or a 5xx, Twilio may well have queued the SMS; sending the
/// request again could text the client twice. So exactly one request goes out in those cases, and the
/// outcome says "unknown" for the session (and the user) to decide. Only 429, where Twilio states it
/// accepted nothing, is retried.
/// </para>
/// <para>
/// The SDK takes no CancellationToken: <see cref="TwilioOptions.RequestTimeout"/> is the HttpClient's timeout,
/// and the caller's token cancels the call's own HttpClient. When it fires, <see cref="OperationCanceledException"/>
/// is thrown; if a request was already on the wire, the caller must treat that send like <see cref="SendOutcome.Unknown"/>.
/// </para>
/// </summary>
public sealed partial class TwilioSmsService : IClientMessagingService
{
    /// <summary>The HttpClient the SDK sends through (see <see cref="TwilioServiceCollectionExtensions.AddTwilioHttpClient"/>).</summary>
    public const string HttpClientName = "twilio";

    private readonly IHttpClientFactory _httpClients;
    private readonly TwilioOptions _options;
    private readonly ILogger<TwilioSmsService> _logger;
    private readonly TimeProvider _time;
    private readonly string _username;
    private readonly string _password;
    private int _warnedAboutCallbacks;

    public TwilioSmsService(IHttpClientFactory httpClients, IOptions<TwilioOptions> options, ILogger<TwilioSmsService> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(httpClients);
        ArgumentNullException.ThrowIfNull(options);
        _httpClients = httpClients;
        _options = options.Value;
        _logger = logger;
        _time = time;
        if (!_options.IsConfigured)
        {
            throw new InvalidOperationException("Twilio is not configured: set Twilio:AccountSid and Twilio:AuthToken.");
        }

        (_username, _password) = _options.UsesApiKey
            ? (_options.ApiKeySid!, _options.ApiKeySecret!)
            : (_options.AccountSid!, _options.AuthToken!);
    }

    /// <summary>
    /// <c>{WebhookBaseUrl}/twilio/status?u={userId}&amp;m={messageId}</c>: Twilio posts delivery reports there,
    /// and the query routes them back to the user and message. Null without a webhook base.
    /// </summary>
    public static string? StatusCallbackUrl(TwilioOptions options, string userId, string messageId)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.WebhookBase is { } webhookBase
            ? $"{webhookBase}{TwilioWebhookEndpoints.StatusPath}?u={Uri.EscapeDataString(userId)}&m={Uri.EscapeDataString(messageId)}"
            : null;
    }

    public async Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        using var activity = Observability.Telemetry.StartLinked("twilio send", System.Diagnostics.ActivityKind.Client, sms.CorrelationId);
        var message = MessageOptions(sms);
        var retryBudget = _options.MaxRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var result = await SendOnceAsync(sms, message, attempt, cancellationToken);
            if (result.Outcome is { } outcome)
            {
                return outcome;
            }

            var throttled = result.Throttled!;
            if (attempt > _options.MaxRetries)
            {
                LogGaveUp(_logger, sms.MessageId, attempt);
                return new SendOutcome.Rejected(throttled);
            }

            var delay = TwilioRetryPolicy.NextDelay(attempt, _options.RetryBaseDelay, result.RetryAfter, Random.Shared.NextDouble());
            if (delay > retryBudget)
            {
                LogGaveUp(_logger, sms.MessageId, attempt);
                return new SendOutcome.Rejected(throttled);
            }

            retryBudget -= delay;
            LogThrottled(_logger, sms.MessageId, attempt, delay);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    private CreateMessageOptions MessageOptions(OutboundSms sms)
    {
        var hasMedia = sms.Media is { Count: > 0 };
        var message = new CreateMessageOptions(new PhoneNumber(sms.To)) { Body = hasMedia && sms.Body.Length == 0 ? null : sms.Body };
        if (hasMedia)
        {
            // One MediaUrl form field per URL (validated as absolute https:// at the edge).
            message.MediaUrl = [.. sms.Media!.Select(url => new Uri(url, UriKind.Absolute))];
        }

        if (!string.IsNullOrWhiteSpace(_options.MessagingServiceSid))
        {
            message.MessagingServiceSid = _options.MessagingServiceSid;
        }
        else
        {
            message.From = new PhoneNumber(string.IsNullOrWhiteSpace(sms.From) ? _options.From! : sms.From);
        }

        if (StatusCallbackUrl(_options, sms.UserId, sms.MessageId) is { } callback)
        {
            message.StatusCallback = new Uri(callback);
        }
        else if (Interlocked.Exchange(ref _warnedAboutCallbacks, 1) == 0)
        {
            LogNoStatusCallback(_logger);
        }

        return message;
    }

    private async Task<AttemptResult> SendOnceAsync(OutboundSms sms, CreateMessageOptions message, int attempt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var http = _httpClients.CreateClient(HttpClientName);
        var transport = new SystemNetHttpClient(http);
        var client = new TwilioRestClient(_username, _password, accountSid: _options.AccountSid, httpClient: transport);
        await using var cancel = cancellationToken.Register(static h => ((System.Net.Http.HttpClient)h!).CancelPendingRequests(), http);
        LogSending(_logger, sms.MessageId, sms.UserId, attempt, sms.CorrelationId);
        try
        {
            var resource = await MessageResource.CreateAsync(message, client);
            if (string.IsNullOrEmpty(resource?.Sid))
            {
                return Unknown(sms, new ProviderError("unreadable_response", "Twilio answered without a message sid."));
            }

            var messageStatus = MessageStatusExtensions.TryParseWire(resource.Status?.ToString(), out var parsed) ? parsed : MessageStatus.Queued;
            LogAccepted(_logger, sms.MessageId, resource.Sid, messageStatus.ToWire());
            return new AttemptResult(new SendOutcome.Accepted(resource.Sid, messageStatus));
        }
        catch (ApiConnectionException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (ApiConnectionException e) when (e.InnerException is OperationCanceledException)
        {
            return Unknown(sms, new ProviderError("timeout", $"Twilio did not answer within {_options.RequestTimeout}; the SMS may or may not have been sent."));
        }
        catch (ApiConnectionException e)
        {
            var reason = e.InnerException is HttpRequestException failure ? failure.HttpRequestError.ToString() : e.InnerException?.GetType().Name;
            return Unknown(sms, new ProviderError("connection_failed", $"Twilio could not be reached ({reason}); the SMS may or may not have been sent."));
        }
        catch (TwilioException e)
        {
            return Interpret(sms, transport.LastResponse, e);
        }
    }

    /// <summary>What an error from the SDK means for this send: its HTTP status (from the SDK's last response) and Twilio's code.</summary>
    private AttemptResult Interpret(OutboundSms sms, Response? response, TwilioException exception)
    {
        var status = response is null ? 0 : (int)response.StatusCode;
        var (code, text) = exception switch
        {
            ApiException { Code: not 0 } api => (api.Code, api.Message),
            ApiStandardException { Code: not 0 } standard => (standard.Code, standard.Message),
            _ => (0, $"Twilio answered {status} {(HttpStatusCode)status}"),
        };
        if (status is >= 200 and < 300)
        {
            return Unknown(sms, new ProviderError("unreadable_response", $"Twilio answered {status} without a readable message."));
        }

        var providerError = new ProviderError(
            code != 0 ? code.ToString(CultureInfo.InvariantCulture) : $"http_{status}",
            string.IsNullOrWhiteSpace(text) ? $"Twilio answered {status}" : text);
        if (status == 429 || code == TwilioErrorCodes.TooManyRequests)
        {
            return new AttemptResult(null, providerError, RetryAfter(response));
        }

        if (status is >= 400 and < 500)
        {
            LogRejected(_logger, sms.MessageId, status, providerError.Code, Observability.PhoneNumberMask.Mask(providerError.Message));
            return new AttemptResult(new SendOutcome.Rejected(providerError, code == TwilioErrorCodes.RecipientOptedOut));
        }

        return Unknown(sms, providerError);
    }

    private AttemptResult Unknown(OutboundSms sms, ProviderError error)
    {
        LogUnknown(_logger, sms.MessageId, error.Code, Observability.PhoneNumberMask.Mask(error.Message));
        return new AttemptResult(new SendOutcome.Unknown(error));
    }

    private TimeSpan? RetryAfter(Response? response) => response?.Headers?.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow(),
        _ => null,
    };

    /// <summary>An outcome, or (when <see cref="Outcome"/> is null) a throttled attempt to repeat.</summary>
    private readonly record struct AttemptResult(SendOutcome? Outcome, ProviderError? Throttled = null, TimeSpan? RetryAfter = null);

    // Debug: the Information line for each SMS is Twilio's answer (with its SID); retries and failures are warnings.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending SMS {MessageId} for {UserId} through Twilio (attempt {Attempt}, correlation {CorrelationId})")]
    private static partial void LogSending(ILogger logger, string messageId, string userId, int attempt, string? correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio accepted SMS {MessageId} as {ProviderSid} ({MessageStatus})")]
    private static partial void LogAccepted(ILogger logger, string messageId, string providerSid, string messageStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio rejected SMS {MessageId} with {HttpStatus} {ErrorCode}: {ErrorMessage}")]
    private static partial void LogRejected(ILogger logger, string messageId, int httpStatus, string errorCode, string errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio throttled SMS {MessageId} (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogThrottled(ILogger logger, string messageId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio still throttled SMS {MessageId} after {Attempts} attempts; giving up")]
    private static partial void LogGaveUp(ILogger logger, string messageId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outcome of SMS {MessageId} is unknown ({ErrorCode}: {ErrorMessage}); it is not sent again")]
    private static partial void LogUnknown(ILogger logger, string messageId, string errorCode, string errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio:WebhookBaseUrl is not set: SMS go out without a status callback, so no delivery reports will arrive")]
    private static partial void LogNoStatusCallback(ILogger logger);
}
