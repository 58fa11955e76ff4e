namespace MessagingServer.TestSupport.Twilio;

/// <summary>The fake playing Twilio's side of the webhooks: forms posted to a server, signed with the fake's auth token.</summary>
public sealed partial class FakeTwilio
{
    /// <summary>The form of an inbound-SMS webhook, as Twilio sends it.</summary>
    public static List<KeyValuePair<string, string>> InboundForm(
        string accountSid, string from, string to, string body, IReadOnlyList<string>? media = null, string? messageSid = null) =>
        TwilioWebhookForms.Inbound(accountSid, from, to, body, media, messageSid);

    public Task<HttpResponseMessage> PostInboundSmsAsync(
        Uri webhookUrl, string from, string to, string body, IReadOnlyList<string>? media = null, string? messageSid = null,
        string? signedUrl = null, CancellationToken cancellationToken = default) =>
        PostSignedAsync(webhookUrl, InboundForm(AccountSid, from, to, body, media, messageSid), signedUrl, cancellationToken: cancellationToken);

    /// <summary>A status callback to <paramref name="callbackUrl"/> (the <c>StatusCallback</c> a send asked for), signed.</summary>
    public Task<HttpResponseMessage> PostStatusCallbackAsync(
        string callbackUrl, string messageSid, string status, string? errorCode = null, string? errorMessage = null,
        CancellationToken cancellationToken = default) =>
        PostSignedAsync(
            new Uri(callbackUrl),
            TwilioWebhookForms.Status(AccountSid, messageSid, status, "+15550000001", "+15550009999", errorCode, errorMessage),
            cancellationToken: cancellationToken);

    /// <summary>Posts a form with an <c>X-Twilio-Signature</c> made with <paramref name="authToken"/> (default: ours) over <paramref name="signedUrl"/> (default: <paramref name="url"/>).</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(
        Uri url, IReadOnlyList<KeyValuePair<string, string>> form, string? signedUrl = null, string? authToken = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSigner.HeaderName, TwilioSigner.Sign(authToken ?? AuthToken, signedUrl ?? url.AbsoluteUri, form));
        return await Http.SendAsync(request, cancellationToken);
    }
}
