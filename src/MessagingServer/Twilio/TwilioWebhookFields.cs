using MessagingServer.Domain;

namespace MessagingServer.Twilio;

/// <summary>
/// What a field of a Twilio webhook may hold. A signed form can still carry nonsense (a leaked auth token, a
/// buggy proxy, a fake in a test): each field is checked against what Twilio really sends, and anything else is
/// a 400 with nothing stored.
/// </summary>
public static class TwilioWebhookFields
{
    /// <summary>Twilio's limit for one message body (a concatenated SMS), in UTF-16 units as SMS count them.</summary>
    public const int MaxBodyLength = 1600;

    /// <summary>Longer media links than this are not Twilio's (theirs are about 150 characters).</summary>
    public const int MaxMediaUrlLength = 2048;

    /// <summary>
    /// <c>From</c> and <c>To</c>: an E.164 number (<c>+</c> and 8–15 digits) or a short code (3–8 digits).
    /// Channel addresses (<c>whatsapp:+1...</c>, <c>messenger:...</c>) are refused: replies to them could not be
    /// sent, since a send's <c>to</c> is E.164.
    /// </summary>
    public static bool IsAddress(string? value) =>
        PhoneNumber.TryParse(value, out _) || (value is { Length: >= 3 and <= 8 } && value.All(char.IsAsciiDigit));

    /// <summary>Longer message ids than this are not Twilio's (theirs are 34 characters).</summary>
    public const int MaxMessageSidLength = 64;

    /// <summary>
    /// A message id: 2 to <see cref="MaxMessageSidLength"/> ASCII letters and digits. Twilio's are <c>SM</c>/<c>MM</c>
    /// and 32 hex digits, but tools that replay or simulate webhooks use shorter ones, and a SID is only ever a
    /// dedup key here, so the check bounds its size and alphabet rather than its exact shape.
    /// </summary>
    public static bool IsMessageSid(string? value) =>
        value is { Length: >= 2 and <= MaxMessageSidLength } && value.All(char.IsAsciiLetterOrDigit);

    /// <summary>A media link: an absolute <c>https</c> URL with a host, no user info, at most <see cref="MaxMediaUrlLength"/> characters.</summary>
    public static bool IsMediaUrl(string? value) =>
        value is { Length: > 0 and <= MaxMediaUrlLength }
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo);
}
