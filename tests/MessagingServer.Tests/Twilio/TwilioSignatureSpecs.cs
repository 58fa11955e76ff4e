using MessagingServer.Twilio;

namespace MessagingServer.Tests.Twilio;

public sealed class TwilioSignatureSpecs
{
    // The worked example in Twilio's "Webhooks security" documentation.
    private const string AuthToken = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string PublishedSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private static readonly KeyValuePair<string, string>[] Fields =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+12349013030"),
        new("Digits", "1234"),
        new("From", "+12349013030"),
        new("To", "+18005551212"),
    ];

    [Fact]
    public void Computes_the_signature_of_twilios_published_example() =>
        Assert.Equal(PublishedSignature, TwilioSignature.Compute(AuthToken, Url, Fields));

    [Fact]
    public void The_order_of_the_fields_does_not_matter() =>
        Assert.Equal(PublishedSignature, TwilioSignature.Compute(AuthToken, Url, Fields.Reverse()));

    [Fact]
    public void Accepts_twilios_published_example() =>
        Assert.True(TwilioSignature.IsValid(AuthToken, Url, Fields, PublishedSignature));

    [Fact]
    public void Refuses_a_tampered_field()
    {
        var tampered = Fields.Select(f => f.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : f);

        Assert.False(TwilioSignature.IsValid(AuthToken, Url, tampered, PublishedSignature));
    }

    [Fact]
    public void Refuses_an_added_field() =>
        Assert.False(TwilioSignature.IsValid(AuthToken, Url, [.. Fields, new("Body", "hi")], PublishedSignature));

    [Fact]
    public void Refuses_another_url() =>
        Assert.False(TwilioSignature.IsValid(AuthToken, "https://mycompany.com/myapp.php?foo=1&bar=3", Fields, PublishedSignature));

    [Fact]
    public void Refuses_a_signature_made_with_another_key() =>
        Assert.False(TwilioSignature.IsValid("54321", Url, Fields, PublishedSignature));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDg")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Refuses_a_missing_or_malformed_signature(string? signature) =>
        Assert.False(TwilioSignature.IsValid(AuthToken, Url, Fields, signature));

    [Theory]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "https://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "https://mycompany.com:443/myapp.php?foo=1&bar=2")]
    [InlineData("http://mycompany.com:80/hook", "http://mycompany.com/hook")]
    [InlineData("http://mycompany.com/hook", "http://mycompany.com:80/hook")]
    [InlineData("https://mycompany.com", "https://mycompany.com:443")]
    public void Accepts_the_url_with_or_without_its_default_port(string signedUrl, string requestUrl)
    {
        var signature = TwilioSignature.Compute(AuthToken, signedUrl, Fields);

        Assert.True(TwilioSignature.IsValid(AuthToken, requestUrl, Fields, signature));
    }

    [Theory]
    [InlineData("https://mycompany.com:8443/hook", "https://mycompany.com/hook")]
    [InlineData("https://mycompany.com:80/hook", "https://mycompany.com/hook")]
    [InlineData("http://mycompany.com:443/hook", "http://mycompany.com/hook")]
    public void Does_not_drop_or_add_a_port_that_is_not_the_default(string signedUrl, string requestUrl)
    {
        var signature = TwilioSignature.Compute(AuthToken, signedUrl, Fields);

        Assert.False(TwilioSignature.IsValid(AuthToken, requestUrl, Fields, signature));
    }

    [Fact]
    public void Keeps_the_port_of_an_ipv6_host_apart_from_its_colons() =>
        Assert.Equal(
            ["https://[::1]/hook", "https://[::1]:443/hook"],
            TwilioSignature.UrlVariants("https://[::1]/hook").ToArray());

    [Fact]
    public void A_repeated_field_is_signed_once_per_value_in_sorted_order()
    {
        KeyValuePair<string, string>[] form = [new("A", "2"), new("A", "1"), new("B", "x")];

        Assert.Equal(
            TwilioSignature.Compute(AuthToken, "https://x.test/", [new("A", "1"), new("A", "2"), new("B", "x")]),
            TwilioSignature.Compute(AuthToken, "https://x.test/", form));
    }
}
