using MessagingServer.Domain;
using Microsoft.Extensions.Options;

namespace MessagingServer.Twilio;

/// <summary>
/// Checks <see cref="TwilioOptions"/> at start, so a typo stops the server with a clear message instead of
/// failing every SMS later. Messages name the setting, never a secret's value.
/// </summary>
public sealed class TwilioOptionsValidator : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckLimits(options, failures);
        if (!options.IsConfigured)
        {
            if (options.HasAnyCredential)
            {
                failures.Add("Twilio is partly configured: set both Twilio:AccountSid and Twilio:AuthToken " +
                    "(or remove every Twilio credential to use the loopback provider).");
            }

            return Result(failures);
        }

        if (!IsSid(options.AccountSid, "AC"))
        {
            failures.Add("Twilio:AccountSid must start with AC followed by 32 hex digits (see the Twilio console).");
        }

        if (string.IsNullOrWhiteSpace(options.AuthToken))
        {
            failures.Add("Twilio:AuthToken is required to verify webhook signatures (X-Twilio-Signature), even when an API key sends.");
        }

        var keySid = !string.IsNullOrWhiteSpace(options.ApiKeySid);
        var keySecret = !string.IsNullOrWhiteSpace(options.ApiKeySecret);
        if (keySid != keySecret)
        {
            failures.Add("Twilio:ApiKeySid and Twilio:ApiKeySecret go together: set both or neither.");
        }
        else if (keySid && !IsSid(options.ApiKeySid, "SK"))
        {
            failures.Add("Twilio:ApiKeySid must start with SK followed by 32 hex digits.");
        }

        var hasFrom = !string.IsNullOrWhiteSpace(options.From);
        var hasService = !string.IsNullOrWhiteSpace(options.MessagingServiceSid);
        if (hasFrom == hasService)
        {
            failures.Add("Set exactly one of Twilio:From (a sender number) or Twilio:MessagingServiceSid (a Messaging Service).");
        }
        else if (hasFrom && !PhoneNumber.TryParse(options.From, out _))
        {
            failures.Add("Twilio:From must be an E.164 number: + and 8 to 15 digits, e.g. +15550001111.");
        }
        else if (hasService && !IsSid(options.MessagingServiceSid, "MG"))
        {
            failures.Add("Twilio:MessagingServiceSid must start with MG followed by 32 hex digits.");
        }

        if (!IsHttpUrl(options.ApiBaseUrl) || new Uri(options.ApiBaseUrl).PathAndQuery != "/")
        {
            failures.Add("Twilio:ApiBaseUrl must be an absolute http(s) URL without path or query, e.g. https://api.twilio.com.");
        }

        if (options.WebhookBase is { } webhookBase
            && (!IsHttpUrl(webhookBase) || webhookBase.Contains('?', StringComparison.Ordinal) || webhookBase.Contains('#', StringComparison.Ordinal)))
        {
            failures.Add("Twilio:WebhookBaseUrl must be the server's public http(s) address without query, e.g. https://sms.example.com.");
        }

        return Result(failures);
    }

    private static void CheckLimits(TwilioOptions options, List<string> failures)
    {
        if (!(options.MessagesPerSecond is > 0 and <= 10_000))
        {
            failures.Add("Twilio:MessagesPerSecond must be above 0 and at most 10000.");
        }

        if (options.MaxConcurrentRequests is < 1 or > 1000)
        {
            failures.Add("Twilio:MaxConcurrentRequests must be between 1 and 1000.");
        }

        if (options.MaxQueuedPerSender is < 1 or > 1_000_000)
        {
            failures.Add("Twilio:MaxQueuedPerSender must be between 1 and 1000000.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("Twilio:MaxRetries must be between 0 and 10.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add("Twilio:RetryBaseDelay must be between 00:00:00 and 00:01:00.");
        }

        if (options.MaxRetryDelay < TimeSpan.Zero || options.MaxRetryDelay > TimeSpan.FromMinutes(10))
        {
            failures.Add("Twilio:MaxRetryDelay must be between 00:00:00 and 00:10:00.");
        }

        if (options.RequestTimeout < TimeSpan.FromMilliseconds(100) || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Twilio:RequestTimeout must be between 00:00:00.1 and 00:05:00.");
        }

        if (options.MaxWebhookBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add("Twilio:MaxWebhookBytes must be between 1024 and 1048576.");
        }

        if (options.MaxResponseBytes is < 16 * 1024 or > 64 * 1024 * 1024)
        {
            failures.Add("Twilio:MaxResponseBytes must be between 16384 and 67108864.");
        }
    }

    internal static bool IsSid(string? value, string prefix) =>
        value is { Length: 34 }
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && !value.AsSpan(2).ContainsAnyExcept(HexDigits);

    private const string HexDigits = "0123456789abcdefABCDEF";

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
