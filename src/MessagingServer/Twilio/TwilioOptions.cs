using System.Globalization;

namespace MessagingServer.Twilio;

/// <summary>
/// Twilio settings, bound from the <c>Twilio</c> section. Twilio is <see cref="IsConfigured"/> once an
/// <see cref="AccountSid"/> and a credential (an <see cref="AuthToken"/>, or an API key pair) are set;
/// otherwise the server keeps its loopback provider. <see cref="TwilioOptionsValidator"/> checks the rest
/// at start. <see cref="ToString"/> never shows a secret: don't log these options any other way.
/// </summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";
    public const string DefaultApiBaseUrl = "https://api.twilio.com";

    /// <summary>The account (<c>AC</c> + 32 hex digits): the REST path, and what webhooks must carry.</summary>
    public string? AccountSid { get; set; }

    /// <summary>The account's auth token: signs webhooks (always needed) and authenticates sends unless an API key is set.</summary>
    public string? AuthToken { get; set; }

    /// <summary>An API key (<c>SK...</c>); with <see cref="ApiKeySecret"/> it authenticates sends instead of the auth token.</summary>
    public string? ApiKeySid { get; set; }

    public string? ApiKeySecret { get; set; }

    /// <summary>The sender number (E.164) used when a message names none. Exactly one of this and <see cref="MessagingServiceSid"/>.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (<c>MG...</c>) that picks the sender; sent instead of <c>From</c>, never with it.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>
    /// Where the REST API lives (scheme, host and port only); tests point it at a fake. The SDK always builds
    /// Twilio's own URLs: when this is set elsewhere, <see cref="TwilioApiBaseHandler"/> sends them here.
    /// </summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>
    /// The server's public address as Twilio sees it (e.g. <c>https://sms.example.com</c>), when it sits
    /// behind a proxy. Webhook signatures are checked against it, and status callbacks point at it; without
    /// it, signatures are checked against the request's own URL and sends ask for no status callback.
    /// </summary>
    public string? WebhookBaseUrl { get; set; }

    /// <summary>Sends per second per sender number; a burst waits its turn instead of being refused.</summary>
    public double MessagesPerSecond { get; set; } = 1;

    /// <summary>Calls to Twilio in flight at once, over all senders.</summary>
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>Sends that may wait for one sender's turn; one more is refused with <c>rate_limited</c>.</summary>
    public int MaxQueuedPerSender { get; set; } = 1000;

    /// <summary>Retries after Twilio answers "too many requests" (429 / 20429). Nothing else is retried.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff after a 429 without <c>Retry-After</c>; it doubles each time, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most one send may spend waiting between retries, all waits together.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call to Twilio may take; past it the outcome is unknown (and nothing is resent).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The largest webhook form accepted; larger ones get 413.</summary>
    public int MaxWebhookBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The largest answer read from Twilio's API (a send's answer is about 1 KB, a page of messages about 50 KB);
    /// a larger one fails the call as a provider error without being read whole.
    /// </summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid) && (!string.IsNullOrWhiteSpace(AuthToken) || UsesApiKey);

    internal bool UsesApiKey => !string.IsNullOrWhiteSpace(ApiKeySid) && !string.IsNullOrWhiteSpace(ApiKeySecret);

    /// <summary>Any credential at all: partly configured credentials are an error, not a silent loopback.</summary>
    internal bool HasAnyCredential =>
        !string.IsNullOrWhiteSpace(AccountSid) || !string.IsNullOrWhiteSpace(AuthToken)
        || !string.IsNullOrWhiteSpace(ApiKeySid) || !string.IsNullOrWhiteSpace(ApiKeySecret);

    /// <summary>Where to send the SDK's requests instead of Twilio's hosts; null for Twilio itself (the default).</summary>
    internal Uri? ApiBaseOverride =>
        Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) && !uri.Equals(new Uri(DefaultApiBaseUrl)) ? uri : null;

    /// <summary>The webhook base without a trailing slash, or null.</summary>
    internal string? WebhookBase => string.IsNullOrWhiteSpace(WebhookBaseUrl) ? null : WebhookBaseUrl.TrimEnd('/');

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"TwilioOptions {{ AccountSid = {AccountSid ?? "(none)"}, AuthToken = {Secret(AuthToken)}, ApiKeySid = {ApiKeySid ?? "(none)"}, " +
        $"ApiKeySecret = {Secret(ApiKeySecret)}, From = {From ?? "(none)"}, MessagingServiceSid = {MessagingServiceSid ?? "(none)"}, " +
        $"ApiBaseUrl = {ApiBaseUrl}, WebhookBaseUrl = {WebhookBaseUrl ?? "(none)"}, MessagesPerSecond = {MessagesPerSecond} }}");

    private static string Secret(string? value) => string.IsNullOrEmpty(value) ? "(none)" : "(set)";
}
