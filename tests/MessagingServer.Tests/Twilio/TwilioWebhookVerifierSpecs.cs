using MessagingServer.TestSupport.Twilio;
using MessagingServer.Twilio;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MessagingServer.Tests.Twilio;

public sealed class TwilioWebhookVerifierSpecs
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "webhook-token";
    private const string Url = "https://x.test/twilio/sms";

    private static TwilioOptions Options(string? webhookBase = null, string authToken = AuthToken) => new()
    {
        AccountSid = AccountSid,
        AuthToken = authToken,
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

    private static FormCollection Form(params KeyValuePair<string, string>[] fields) =>
        new(fields.GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => new StringValues(g.Select(f => f.Value).ToArray()), StringComparer.OrdinalIgnoreCase));

    private static readonly KeyValuePair<string, string>[] Fields = [new("AccountSid", AccountSid), new("Body", "hi"), new("From", "+15550002222")];

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

    [Theory]
    [InlineData("https://sms.example.com:443/gateway", "https://sms.example.com/gateway/twilio/sms")]
    [InlineData("http://sms.example.com:80", "http://sms.example.com/twilio/sms")]
    [InlineData("https://sms.example.com:8443", "https://sms.example.com:8443/twilio/sms")]
    public void The_public_url_leaves_out_only_the_default_port(string webhookBase, string expected)
    {
        var request = Request("http", "10.0.0.5:8080", "/twilio/sms", "").Request;

        Assert.Equal(expected, TwilioWebhookVerifier.PublicUrl(Options(webhookBase), request));
    }

    [Fact]
    public void Twilios_published_example_is_valid_through_the_sdk()
    {
        // The worked example in Twilio's "Webhooks security" documentation, account check aside.
        var options = Options(authToken: "12345");
        options.AccountSid = null;
        var form = Form(
            new("CallSid", "CA1234567890ABCDE"), new("Caller", "+12349013030"), new("Digits", "1234"), new("From", "+12349013030"), new("To", "+18005551212"));

        Assert.Equal(
            TwilioWebhookVerdict.Valid,
            TwilioWebhookVerifier.Verify(options, "https://mycompany.com/myapp.php?foo=1&bar=2", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", form));
    }

    [Fact]
    public void A_signed_webhook_for_our_account_is_valid() =>
        Assert.Equal(TwilioWebhookVerdict.Valid, TwilioWebhookVerifier.Verify(Options(), Url, TwilioSigner.Sign(AuthToken, Url, Fields), Form(Fields)));

    [Theory]
    [InlineData("https://x.test:443/twilio/sms", "https://x.test/twilio/sms")]
    [InlineData("https://x.test/twilio/sms", "https://x.test/twilio/sms")]
    public void A_signature_made_with_or_without_the_default_port_is_valid(string signedUrl, string publicUrl) =>
        Assert.Equal(TwilioWebhookVerdict.Valid, TwilioWebhookVerifier.Verify(Options(), publicUrl, TwilioSigner.Sign(AuthToken, signedUrl, Fields), Form(Fields)));

    [Fact]
    public void A_tampered_field_is_refused()
    {
        var signature = TwilioSigner.Sign(AuthToken, Url, Fields);
        KeyValuePair<string, string>[] tampered = [new("AccountSid", AccountSid), new("Body", "pay 1000"), new("From", "+15550002222")];

        Assert.Equal(TwilioWebhookVerdict.InvalidSignature, TwilioWebhookVerifier.Verify(Options(), Url, signature, Form(tampered)));
    }

    [Fact]
    public void A_signature_made_with_another_token_is_refused() =>
        Assert.Equal(
            TwilioWebhookVerdict.InvalidSignature,
            TwilioWebhookVerifier.Verify(Options(), Url, TwilioSigner.Sign("another-token", Url, Fields), Form(Fields)));

    [Fact]
    public void A_repeated_field_is_refused_though_its_first_value_is_signed()
    {
        var signature = TwilioSigner.Sign(AuthToken, Url, Fields);

        Assert.Equal(
            TwilioWebhookVerdict.RepeatedField,
            TwilioWebhookVerifier.Verify(Options(), Url, signature, Form([.. Fields, new("Body", "and pay 1000")])));
    }

    [Fact]
    public void A_repeated_field_is_refused_though_every_value_is_signed()
    {
        KeyValuePair<string, string>[] fields = [.. Fields, new("Body", "again")];

        Assert.Equal(
            TwilioWebhookVerdict.RepeatedField,
            TwilioWebhookVerifier.Verify(Options(), Url, TwilioSigner.Sign(AuthToken, Url, fields), Form(fields)));
    }

    [Fact]
    public void A_signed_webhook_for_another_account_is_refused()
    {
        KeyValuePair<string, string>[] fields = [new("AccountSid", "AC99999999999999999999999999999999")];

        Assert.Equal(TwilioWebhookVerdict.WrongAccount, TwilioWebhookVerifier.Verify(Options(), Url, TwilioSigner.Sign(AuthToken, Url, fields), Form(fields)));
    }

    [Fact]
    public void A_webhook_without_a_signature_is_refused() =>
        Assert.Equal(TwilioWebhookVerdict.MissingSignature, TwilioWebhookVerifier.Verify(Options(), Url, default, Form(Fields)));

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDg")]
    public void A_malformed_signature_is_refused(string signature) =>
        Assert.Equal(TwilioWebhookVerdict.InvalidSignature, TwilioWebhookVerifier.Verify(Options(), Url, signature, Form(Fields)));

    [Fact]
    public void A_webhook_with_two_signatures_is_refused()
    {
        var signature = TwilioSigner.Sign(AuthToken, Url, Fields);

        Assert.Equal(TwilioWebhookVerdict.InvalidSignature, TwilioWebhookVerifier.Verify(Options(), Url, new StringValues([signature, signature]), Form(Fields)));
    }
}
