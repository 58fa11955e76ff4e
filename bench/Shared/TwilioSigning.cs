using System.Security.Cryptography;
using System.Text;

namespace MessagingServer.Bench.Shared;

/// <summary>
/// Twilio's webhook signature, as the bench tool, the fake Twilio and the baselines compute it:
/// <c>X-Twilio-Signature</c> = Base64(HMAC-SHA1(auth token, URL + every form field as key then value,
/// sorted by key in ordinal order)).
/// </summary>
public static class TwilioSigning
{
    public const string HeaderName = "X-Twilio-Signature";

    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature) =>
        !string.IsNullOrEmpty(signature)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(authToken, url, form)), Encoding.ASCII.GetBytes(signature));

    /// <summary>A Twilio-shaped id: a two-letter prefix and 32 hex digits.</summary>
    public static string NewSid(string prefix) => prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
