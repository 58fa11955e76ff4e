using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace MessagingServer.TestSupport.Twilio;

/// <summary>Twilio's wire format as the fake speaks it: the Message resource, the error body, Basic auth.</summary>
internal static class FakeTwilioWire
{
    /// <summary>The Message resource; <c>num_media</c> is a string, as Twilio sends it.</summary>
    public static Dictionary<string, object?> MessageResource(string sid, string accountSid, string status, Dictionary<string, string> form, int mediaCount = 0) => new()
    {
        ["sid"] = sid,
        ["account_sid"] = accountSid,
        ["to"] = form.GetValueOrDefault("To"),
        ["from"] = form.GetValueOrDefault("From"),
        ["messaging_service_sid"] = form.GetValueOrDefault("MessagingServiceSid"),
        ["body"] = form.GetValueOrDefault("Body"),
        ["status"] = status,
        ["direction"] = "outbound-api",
        ["num_segments"] = "1",
        ["num_media"] = mediaCount.ToString(CultureInfo.InvariantCulture),
        ["error_code"] = null,
        ["error_message"] = null,
        ["date_created"] = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture),
        ["uri"] = $"/2010-04-01/Accounts/{accountSid}/Messages/{sid}.json",
    };

    public static (string? User, string? Secret) BasicCredentials(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Scheme != "Basic" || value.Parameter is null)
        {
            return (null, null);
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    /// <summary><c>{"code": 21211, "message": "...", "more_info": "...", "status": 400}</c>.</summary>
    public static Dictionary<string, object?> Error(FakeTwilioReply.Failure failure) => new()
    {
        ["code"] = failure.Code,
        ["message"] = failure.Message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{failure.Code}",
        ["status"] = failure.HttpStatus,
    };
}
