using System.Security.Cryptography;
using System.Text;

namespace MessagingServer.TestSupport.Twilio;

/// <summary>
/// Signs webhooks as Twilio does, for everything that plays Twilio (the fake, the bench, the baselines):
/// <c>X-Twilio-Signature</c> = Base64(HMAC-SHA1(auth token, URL + every form field as key then value, sorted by
/// key in ordinal order)). The server itself checks signatures with the SDK's validator, never with this.
/// </summary>
public static class TwilioSigner
{
    public const string HeaderName = "X-Twilio-Signature";

    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(form);
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>For the bench's baselines, which check signatures without the SDK; constant-time.</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature) =>
        !string.IsNullOrEmpty(signature)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(authToken, url, form)), Encoding.ASCII.GetBytes(signature));

    /// <summary>A Twilio-shaped id: a two-letter prefix and 32 hex digits.</summary>
    public static string NewSid(string prefix) => prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
