using MessagingServer.Twilio;
using Microsoft.AspNetCore.Http;

namespace MessagingServer.Tests.Twilio;

public sealed class TwilioWebhookVerifierSpecs
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "webhook-token";

    private static TwilioOptions Options(string? webhookBase = null) => new()
    {
        AccountSid = AccountSid,
        AuthToken = AuthToken,
        From = "+15550001111",
        WebhookBaseUrl = webhookBase,
    };

    private static DefaultHttpContext Request(string scheme, string host, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    [Fact]
    public void Without_a_webhook_base_the_request_url_is_signed()
    {
        var request = Request("http", "127.0.0.1:5000", "/twilio/status", "?u=alice%40x&m=1").Request;

        Assert.Equal("http://127.0.0.1:5000/twilio/status?u=alice%40x&m=1", TwilioWebhookVerifier.PublicUrl(Options(), request));
    }

    [Fact]
    public void A_webhook_base_replaces_the_request_origin()
    {
        var request = Request("http", "10.0.0.5:8080", "/twilio/sms", "").Request;

        Assert.Equal("https://sms.example.com/gateway/twilio/sms", TwilioWebhookVerifier.PublicUrl(Options("https://sms.example.com/gateway/"), request));
    }

    [Fact]
    public void A_signed_webhook_for_our_account_is_valid()
    {
        KeyValuePair<string, string>[] fields = [new("AccountSid", AccountSid), new("Body", "hi")];
        var signature = TwilioSignature.Compute(AuthToken, "https://x.test/twilio/sms", fields);

        Assert.Equal(TwilioWebhookVerdict.Valid, TwilioWebhookVerifier.Verify(Options(), "https://x.test/twilio/sms", signature, fields, AccountSid));
    }

    [Fact]
    public void A_signed_webhook_for_another_account_is_refused()
    {
        const string other = "AC99999999999999999999999999999999";
        KeyValuePair<string, string>[] fields = [new("AccountSid", other)];
        var signature = TwilioSignature.Compute(AuthToken, "https://x.test/twilio/sms", fields);

        Assert.Equal(TwilioWebhookVerdict.WrongAccount, TwilioWebhookVerifier.Verify(Options(), "https://x.test/twilio/sms", signature, fields, other));
    }

    [Fact]
    public void A_webhook_without_a_signature_is_refused() =>
        Assert.Equal(TwilioWebhookVerdict.MissingSignature, TwilioWebhookVerifier.Verify(Options(), "https://x.test/", default, [], AccountSid));

    [Fact]
    public void A_webhook_with_two_signatures_is_refused()
    {
        var signature = TwilioSignature.Compute(AuthToken, "https://x.test/", []);

        Assert.Equal(
            TwilioWebhookVerdict.InvalidSignature,
            TwilioWebhookVerifier.Verify(Options(), "https://x.test/", new Microsoft.Extensions.Primitives.StringValues([signature, signature]), [], AccountSid));
    }
}
