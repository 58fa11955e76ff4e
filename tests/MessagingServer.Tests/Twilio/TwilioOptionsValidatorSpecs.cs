using MessagingServer.Twilio;

namespace MessagingServer.Tests.Twilio;

public sealed class TwilioOptionsValidatorSpecs
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "super-secret-auth-token";
    private const string ApiKeySecret = "super-secret-api-key-secret";

    private static TwilioOptions Valid() => new()
    {
        AccountSid = AccountSid,
        AuthToken = AuthToken,
        From = "+15550001111",
    };

    private static IReadOnlyList<string> Failures(TwilioOptions options)
    {
        var result = new TwilioOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures!.ToList() : [];
    }

    [Fact]
    public void Nothing_set_is_valid_and_not_configured()
    {
        var options = new TwilioOptions();

        Assert.Empty(Failures(options));
        Assert.False(options.IsConfigured);
    }

    [Fact]
    public void A_complete_configuration_is_valid()
    {
        Assert.Empty(Failures(Valid()));
        Assert.True(Valid().IsConfigured);
    }

    [Fact]
    public void A_messaging_service_may_replace_the_sender_number()
    {
        var options = Valid();
        options.From = null;
        options.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Credentials_without_an_account_are_refused()
    {
        var failure = Assert.Single(Failures(new TwilioOptions { AuthToken = AuthToken }));

        Assert.Contains("partly configured", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_sid_must_start_with_AC()
    {
        var options = Valid();
        options.AccountSid = "XX0123456789abcdef0123456789abcdef";

        Assert.Contains(Failures(options), f => f.Contains("AccountSid must start with AC", StringComparison.Ordinal));
    }

    [Fact]
    public void Sender_number_and_messaging_service_together_are_refused()
    {
        var options = Valid();
        options.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";

        Assert.Contains(Failures(options), f => f.Contains("exactly one of Twilio:From", StringComparison.Ordinal));
    }

    [Fact]
    public void Neither_sender_number_nor_messaging_service_is_refused()
    {
        var options = Valid();
        options.From = null;

        Assert.Contains(Failures(options), f => f.Contains("exactly one of Twilio:From", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sender_number_must_be_e164()
    {
        var options = Valid();
        options.From = "5550001111";

        Assert.Contains(Failures(options), f => f.Contains("E.164", StringComparison.Ordinal));
    }

    [Fact]
    public void An_api_key_alone_cannot_verify_webhooks()
    {
        var options = Valid();
        options.AuthToken = null;
        options.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
        options.ApiKeySecret = ApiKeySecret;

        Assert.True(options.IsConfigured);
        Assert.Contains(Failures(options), f => f.Contains("AuthToken is required to verify webhook", StringComparison.Ordinal));
    }

    [Fact]
    public void An_api_key_needs_its_secret()
    {
        var options = Valid();
        options.ApiKeySid = "SK0123456789abcdef0123456789abcdef";

        Assert.Contains(Failures(options), f => f.Contains("go together", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.com")]
    [InlineData("https://example.com/?x=1")]
    public void A_webhook_base_must_be_a_plain_http_url(string webhookBase)
    {
        var options = Valid();
        options.WebhookBaseUrl = webhookBase;

        Assert.Contains(Failures(options), f => f.Contains("WebhookBaseUrl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("https://example.com/2010-04-01")]
    [InlineData("http://127.0.0.1:5000/?x=1")]
    public void The_api_base_is_only_scheme_host_and_port(string apiBase)
    {
        var options = Valid();
        options.ApiBaseUrl = apiBase;

        Assert.Contains(Failures(options), f => f.Contains("Twilio:ApiBaseUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_out_of_range_are_refused()
    {
        var options = Valid();
        options.MessagesPerSecond = 0;
        options.MaxRetries = -1;
        options.RequestTimeout = TimeSpan.Zero;

        var failures = Failures(options);

        Assert.Contains(failures, f => f.Contains("MessagesPerSecond", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxRetries", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("RequestTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void No_message_or_rendering_shows_a_secret()
    {
        var options = Valid();
        options.AccountSid = "bad";
        options.ApiKeySid = "bad";
        options.ApiKeySecret = ApiKeySecret;

        var text = string.Join('\n', Failures(options)) + options;

        Assert.DoesNotContain(AuthToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecret, text, StringComparison.Ordinal);
        Assert.Contains("AuthToken = (set)", options.ToString(), StringComparison.Ordinal);
    }
}
