using System.Globalization;
using MessagingServer.Bench.Shared;

namespace MessagingServer.Bench.Clients;

/// <summary>Posts inbound-SMS webhooks as Twilio does: form-encoded, signed over the URL and the sorted fields.</summary>
public sealed class SignedWebhook(HttpClient http, string accountSid, string authToken)
{
    public string AccountSid { get; } = accountSid;

    public string AuthToken { get; } = authToken;

    public static KeyValuePair<string, string>[] InboundForm(string accountSid, string messageSid, string from, string to, string body) =>
    [
        new("AccountSid", accountSid),
        new("ApiVersion", "2010-04-01"),
        new("Body", body),
        new("From", from),
        new("MessageSid", messageSid),
        new("NumMedia", "0"),
        new("NumSegments", "1"),
        new("SmsMessageSid", messageSid),
        new("SmsSid", messageSid),
        new("SmsStatus", "received"),
        new("To", to),
    ];

    /// <summary>A MessageSid unique to (run, index): <c>SM</c> + 32 hex digits.</summary>
    public static string MessageSid(int run, long index) =>
        string.Create(CultureInfo.InvariantCulture, $"SM{run:x8}{index:x24}");

    public async Task<int> PostInboundAsync(Uri url, string messageSid, string from, string to, string body, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(url);
        var form = InboundForm(AccountSid, messageSid, from, to, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation(TwilioSigning.HeaderName, TwilioSigning.Sign(AuthToken, url.AbsoluteUri, form));
        try
        {
            using var response = await http.SendAsync(request, cancel);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            return 0;
        }
    }
}
