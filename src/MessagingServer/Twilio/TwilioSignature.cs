using System.Security.Cryptography;
using System.Text;

namespace MessagingServer.Twilio;

/// <summary>
/// Twilio's webhook signature: <c>X-Twilio-Signature</c> = Base64(HMAC-SHA1(auth token, URL + every form
/// field as key then value, sorted by key in ordinal order)). The URL is the one Twilio called, query
/// included and left escaped as it was sent.
/// </summary>
public static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>The signature Twilio sends for this URL and form.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form) =>
        Convert.ToBase64String(Hash(authToken, url, form));

    /// <summary>
    /// True when <paramref name="signature"/> signs this request. Like Twilio's own validators, the URL is
    /// tried as given and with its default port (443 for https, 80 for http) added or removed, since
    /// proxies and clients disagree on whether to show it. Comparison takes constant time.
    /// </summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(form);
        if (string.IsNullOrEmpty(signature) || authToken.Length == 0)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA1.HashSizeInBytes];
        if (!Convert.TryFromBase64String(signature, expected, out var written) || written != HMACSHA1.HashSizeInBytes)
        {
            return false;
        }

        var fields = form as IReadOnlyCollection<KeyValuePair<string, string>> ?? form.ToList();
        var valid = false;
        foreach (var candidate in UrlVariants(url))
        {
            // No early exit: every variant is computed, so timing doesn't tell which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(Hash(authToken, candidate, fields), expected);
        }

        return valid;
    }

    /// <summary>The URL as given, and with the scheme's default port toggled (when it has that or no port).</summary>
    internal static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield break;
        }

        var defaultPort = uri.Scheme == Uri.UriSchemeHttps ? 443 : 80;
        var authorityStart = uri.Scheme.Length + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var authority = url[authorityStart..authorityEnd];
        var hostEnd = authority.LastIndexOf(':');
        var hasPort = hostEnd > authority.LastIndexOf(']'); // a ':' inside [IPv6] is not a port separator
        string variantAuthority;
        if (!hasPort)
        {
            variantAuthority = $"{authority}:{defaultPort}";
        }
        else if (authority[(hostEnd + 1)..] == defaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            variantAuthority = authority[..hostEnd];
        }
        else
        {
            yield break;
        }

        yield return string.Concat(url.AsSpan(0, authorityStart), variantAuthority, url.AsSpan(authorityEnd));
    }

    private static byte[] Hash(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form
                     .OrderBy(f => f.Key, StringComparer.Ordinal)
                     .ThenBy(f => f.Value, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        return HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
    }
}
