using System.Globalization;

namespace MessagingServer.TestSupport.Twilio;

/// <summary>The forms Twilio posts to a server's webhooks.</summary>
public static class TwilioWebhookForms
{
    /// <summary>An inbound SMS (<c>/twilio/sms</c>), with <c>MediaUrl0..N</c> for MMS.</summary>
    public static List<KeyValuePair<string, string>> Inbound(
        string accountSid, string from, string to, string body, IReadOnlyList<string>? media = null, string? messageSid = null)
    {
        var sid = messageSid ?? TwilioSigner.NewSid("SM");
        media ??= [];
        var form = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", accountSid),
            new("ApiVersion", "2010-04-01"),
            new("MessageSid", sid),
            new("SmsMessageSid", sid),
            new("SmsSid", sid),
            new("SmsStatus", "received"),
            new("From", from),
            new("To", to),
            new("Body", body),
            new("NumSegments", "1"),
            new("NumMedia", media.Count.ToString(CultureInfo.InvariantCulture)),
        };
        for (var i = 0; i < media.Count; i++)
        {
            form.Add(new(string.Create(CultureInfo.InvariantCulture, $"MediaUrl{i}"), media[i]));
            form.Add(new(string.Create(CultureInfo.InvariantCulture, $"MediaContentType{i}"), "image/jpeg"));
        }

        return form;
    }

    /// <summary>A status callback (to the <c>StatusCallback</c> a send named).</summary>
    public static List<KeyValuePair<string, string>> Status(
        string accountSid, string messageSid, string status, string from, string to, string? errorCode = null, string? errorMessage = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", accountSid),
            new("ApiVersion", "2010-04-01"),
            new("MessageSid", messageSid),
            new("SmsSid", messageSid),
            new("MessageStatus", status),
            new("SmsStatus", status),
            new("From", from),
            new("To", to),
        };
        if (errorCode is not null)
        {
            form.Add(new("ErrorCode", errorCode));
        }

        if (errorMessage is not null)
        {
            form.Add(new("ErrorMessage", errorMessage));
        }

        return form;
    }
}
