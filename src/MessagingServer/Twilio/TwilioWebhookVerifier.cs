using Microsoft.Extensions.Primitives;

namespace MessagingServer.Twilio;

/// <summary>Why a webhook was refused, or that it wasn't.</summary>
public enum TwilioWebhookVerdict
{
    Valid,
    MissingSignature,
    InvalidSignature,
    WrongAccount,
}

/// <summary>
/// Decides whether a webhook really comes from Twilio, for our account. The signed URL is the public one:
/// <c>Twilio:WebhookBaseUrl</c> + path + query when set (behind a proxy the request's own scheme and host
/// are not what Twilio called), else the request's scheme, host, path and query. There is deliberately no
/// switch to turn this off.
/// </summary>
public static class TwilioWebhookVerifier
{
    public static TwilioWebhookVerdict Verify(TwilioOptions options, HttpRequest request, IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(form);
        return Verify(options, PublicUrl(options, request), request.Headers[TwilioSignature.HeaderName], Fields(form), form["AccountSid"]);
    }

    public static TwilioWebhookVerdict Verify(
        TwilioOptions options, string publicUrl, StringValues signature, IEnumerable<KeyValuePair<string, string>> fields, string? accountSid)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (StringValues.IsNullOrEmpty(signature))
        {
            return TwilioWebhookVerdict.MissingSignature;
        }

        if (signature.Count != 1 || string.IsNullOrEmpty(options.AuthToken)
            || !TwilioSignature.IsValid(options.AuthToken, publicUrl, fields, signature[0]))
        {
            return TwilioWebhookVerdict.InvalidSignature;
        }

        return string.Equals(accountSid, options.AccountSid, StringComparison.Ordinal)
            ? TwilioWebhookVerdict.Valid
            : TwilioWebhookVerdict.WrongAccount;
    }

    /// <summary>The URL Twilio signed: the configured public base, or the request's own origin, then path and (still escaped) query.</summary>
    public static string PublicUrl(TwilioOptions options, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        var pathAndQuery = request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        return options.WebhookBase is { } webhookBase
            ? webhookBase + request.Path.ToUriComponent() + request.QueryString.ToUriComponent()
            : $"{request.Scheme}://{request.Host.ToUriComponent()}{pathAndQuery}";
    }

    /// <summary>Every form field as key/value pairs, a repeated key once per value.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Fields(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        foreach (var (key, values) in form)
        {
            foreach (var value in values)
            {
                yield return new(key, value ?? "");
            }
        }
    }
}
