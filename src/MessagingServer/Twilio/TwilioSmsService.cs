using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MessagingServer.Domain.Messages;
using MessagingServer.Sms;
using Microsoft.Extensions.Options;

namespace MessagingServer.Twilio;

/// <summary>
/// Sends SMS through Twilio's REST API (<c>POST {ApiBaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>),
/// on a typed <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>.
/// <para>Failure policy, per send:</para>
/// <list type="bullet">
/// <item>2xx with a sid: <see cref="SendOutcome.Accepted"/>.</item>
/// <item>429 or Twilio code 20429: Twilio took nothing, so the request is repeated after a backoff that
/// honours <c>Retry-After</c>, at most <see cref="TwilioOptions.MaxRetries"/> times and
/// <see cref="TwilioOptions.MaxRetryDelay"/> in all; then <see cref="SendOutcome.Rejected"/> with 20429.</item>
/// <item>Any other 4xx (21211 bad number, 21610 opted out, 21614, 21617, 20003 bad credentials, ...):
/// <see cref="SendOutcome.Rejected"/> with Twilio's code, never retried.</item>
/// <item>Timeout, 5xx, connection failure, or an unreadable success: <see cref="SendOutcome.Unknown"/>.</item>
/// </list>
/// <para>
/// <b>Never resend blindly.</b> After a timeout or a 5xx, Twilio may well have queued the SMS; sending the
/// request again could text the client twice. So exactly one request goes out in those cases, and the
/// outcome says "unknown" for the session (and the user) to decide. Only 429, where Twilio states it
/// accepted nothing, is retried.
/// </para>
/// <para>
/// When <paramref name="cancellationToken"/> fires, <see cref="OperationCanceledException"/> is thrown; if a
/// request was already on the wire, the caller must treat that send like <see cref="SendOutcome.Unknown"/>.
/// </para>
/// </summary>
public sealed partial class TwilioSmsService : IClientMessagingService
{
    private readonly HttpClient _http;
    private readonly TwilioOptions _options;
    private readonly ILogger<TwilioSmsService> _logger;
    private readonly TimeProvider _time;
    private readonly Uri _messagesUri;
    private readonly AuthenticationHeaderValue _authorization;
    private int _warnedAboutCallbacks;

    public TwilioSmsService(HttpClient http, IOptions<TwilioOptions> options, ILogger<TwilioSmsService> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _logger = logger;
        _time = time;
        if (!_options.IsConfigured)
        {
            throw new InvalidOperationException("Twilio is not configured: set Twilio:AccountSid and Twilio:AuthToken.");
        }

        _messagesUri = MessagesUri(_options);
        var (user, secret) = _options.UsesApiKey
            ? (_options.ApiKeySid!, _options.ApiKeySecret!)
            : (_options.AccountSid!, _options.AuthToken!);
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
    }

    /// <summary><c>{ApiBaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>.</summary>
    public static Uri MessagesUri(TwilioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Uri($"{options.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid ?? "")}/Messages.json");
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
        var form = BuildForm(sms);
        var retryBudget = _options.MaxRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var result = await SendOnceAsync(sms, form, attempt, cancellationToken);
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

    private List<KeyValuePair<string, string>> BuildForm(OutboundSms sms)
    {
        var form = new List<KeyValuePair<string, string>>(5) { new("To", sms.To) };
        if (!string.IsNullOrWhiteSpace(_options.MessagingServiceSid))
        {
            form.Add(new("MessagingServiceSid", _options.MessagingServiceSid));
        }
        else
        {
            form.Add(new("From", string.IsNullOrWhiteSpace(sms.From) ? _options.From! : sms.From));
        }

        form.Add(new("Body", sms.Body));
        if (StatusCallbackUrl(_options, sms.UserId, sms.MessageId) is { } callback)
        {
            form.Add(new("StatusCallback", callback));
        }
        else if (Interlocked.Exchange(ref _warnedAboutCallbacks, 1) == 0)
        {
            LogNoStatusCallback(_logger);
        }

        return form;
    }

    private async Task<AttemptResult> SendOnceAsync(
        OutboundSms sms, List<KeyValuePair<string, string>> form, int attempt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _messagesUri);
        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Authorization = _authorization;
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        LogSending(_logger, sms.MessageId, sms.UserId, attempt, sms.CorrelationId);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            return Interpret(sms, response, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unknown(sms, new ProviderError("timeout", $"Twilio did not answer within {_options.RequestTimeout}; the SMS may or may not have been sent."));
        }
        catch (HttpRequestException e)
        {
            return Unknown(sms, new ProviderError("connection_failed", $"Twilio could not be reached ({e.HttpRequestError}); the SMS may or may not have been sent."));
        }
    }

    private AttemptResult Interpret(OutboundSms sms, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var resource = TryDeserialize(body, TwilioJsonContext.Default.TwilioMessageResource);
            if (string.IsNullOrEmpty(resource?.Sid))
            {
                return Unknown(sms, new ProviderError("unreadable_response", $"Twilio answered {status} without a message sid."));
            }

            var messageStatus = MessageStatusExtensions.TryParseWire(resource.Status, out var parsed) ? parsed : MessageStatus.Queued;
            LogAccepted(_logger, sms.MessageId, resource.Sid, messageStatus.ToWire());
            return new AttemptResult(new SendOutcome.Accepted(resource.Sid, messageStatus));
        }

        var error = TryDeserialize(body, TwilioJsonContext.Default.TwilioApiError);
        var providerError = new ProviderError(
            error?.Code?.ToString(CultureInfo.InvariantCulture) ?? $"http_{status}",
            string.IsNullOrWhiteSpace(error?.Message) ? $"Twilio answered {status} {response.ReasonPhrase}" : error.Message);
        if (status == 429 || error?.Code == TwilioErrorCodes.TooManyRequests)
        {
            return new AttemptResult(null, providerError, RetryAfter(response));
        }

        if (status is >= 400 and < 500)
        {
            LogRejected(_logger, sms.MessageId, status, providerError.Code, providerError.Message);
            return new AttemptResult(new SendOutcome.Rejected(providerError, error?.Code == TwilioErrorCodes.RecipientOptedOut));
        }

        return Unknown(sms, providerError);
    }

    private AttemptResult Unknown(OutboundSms sms, ProviderError error)
    {
        LogUnknown(_logger, sms.MessageId, error.Code, error.Message);
        return new AttemptResult(new SendOutcome.Unknown(error));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow(),
        _ => null,
    };

    private static T? TryDeserialize<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

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
