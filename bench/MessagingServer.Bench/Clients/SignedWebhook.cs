using System.Globalization;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.Bench.Clients;

/// <summary>Posts inbound-SMS webhooks as Twilio does: form-encoded, signed over the URL and the sorted fields.</summary>
public sealed class SignedWebhook(HttpClient http, string accountSid, string authToken)
{
    public string AccountSid { get; } = accountSid;

    public string AuthToken { get; } = authToken;

    /// <summary>A MessageSid unique to (run, index): <c>SM</c> + 32 hex digits.</summary>
    public static string MessageSid(int run, long index) =>
        string.Create(CultureInfo.InvariantCulture, $"SM{run:x8}{index:x24}");

    public async Task<int> PostInboundAsync(Uri url, string messageSid, string from, string to, string body, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(url);
        var form = TwilioWebhookForms.Inbound(AccountSid, from, to, body, messageSid: messageSid);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation(TwilioSigner.HeaderName, TwilioSigner.Sign(AuthToken, url.AbsoluteUri, form));
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
