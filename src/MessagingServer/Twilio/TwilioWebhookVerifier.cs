using Microsoft.Extensions.Primitives;
using Twilio.Security;

namespace MessagingServer.Twilio;

/// <summary>Why a webhook was refused, or that it wasn't.</summary>
public enum TwilioWebhookVerdict
{
    Valid,
    MissingSignature,
    InvalidSignature,
    RepeatedField,
    WrongAccount,
}

/// <summary>
/// Decides whether a webhook really comes from Twilio, for our account: the signature is checked by the SDK's
/// <see cref="RequestValidator"/> (one per request: it holds its HMAC key), the rest is ours. The signed URL is
/// the public one: <c>Twilio:WebhookBaseUrl</c> + path + query when set (behind a proxy the request's own scheme
/// and host are not what Twilio called), else the request's scheme, host, path and query. There is
/// deliberately no switch to turn this off.
/// </summary>
public static class TwilioWebhookVerifier
{
    public const string SignatureHeader = "X-Twilio-Signature";

    public static TwilioWebhookVerdict Verify(TwilioOptions options, HttpRequest request, IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Verify(options, PublicUrl(options, request), request.Headers[SignatureHeader], form);
    }

    /// <summary>
    /// A form that repeats a field is refused before any signature is computed: the validator signs one value
    /// per field, so a value appended to a genuine request would go unchecked while the endpoint read it
    /// (Twilio's webhooks never repeat a field: media come as <c>MediaUrl0</c>, <c>MediaUrl1</c>, ...).
    /// </summary>
    public static TwilioWebhookVerdict Verify(TwilioOptions options, string publicUrl, StringValues signature, IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(form);
        if (StringValues.IsNullOrEmpty(signature))
        {
            return TwilioWebhookVerdict.MissingSignature;
        }

        var fields = new Dictionary<string, string>(form.Count, StringComparer.Ordinal);
        foreach (var (key, values) in form)
        {
            if (values.Count != 1)
            {
                return TwilioWebhookVerdict.RepeatedField;
            }

            fields[key] = values[0] ?? "";
        }

        if (signature.Count != 1 || string.IsNullOrEmpty(options.AuthToken)
            || !new RequestValidator(options.AuthToken).Validate(publicUrl, fields, signature[0]))
        {
            return TwilioWebhookVerdict.InvalidSignature;
        }

        return string.Equals(form["AccountSid"], options.AccountSid, StringComparison.Ordinal)
            ? TwilioWebhookVerdict.Valid
            : TwilioWebhookVerdict.WrongAccount;
    }

    /// <summary>
    /// The URL Twilio signed: the configured public base, or the request's own origin, then path and (still
    /// escaped) query; written without the scheme's default port, because the validator tries the URL as given
    /// and with that port added, but never with it removed.
    /// </summary>
    public static string PublicUrl(TwilioOptions options, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        var origin = options.WebhookBase ?? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
        return WithoutDefaultPort(origin) + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
    }

    private static string WithoutDefaultPort(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !uri.IsDefaultPort)
        {
            return origin;
        }

        var authorityStart = uri.Scheme.Length + 3;
        var authorityEnd = origin.IndexOf('/', authorityStart) is var slash and >= 0 ? slash : origin.Length;
        var port = ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return origin.AsSpan(authorityStart, authorityEnd - authorityStart).EndsWith(port, StringComparison.Ordinal)
            ? string.Concat(origin.AsSpan(0, authorityEnd - port.Length), origin.AsSpan(authorityEnd))
            : origin;
    }
}
