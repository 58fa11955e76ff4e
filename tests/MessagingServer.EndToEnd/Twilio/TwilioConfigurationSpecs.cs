using System.Net;
using System.Text.Json;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Domain.Messages;
using MessagingServer.Hosting;
using MessagingServer.Sms;
using MessagingServer.Twilio;
using Microsoft.Extensions.Options;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>How configuration decides what the server does with Twilio; each test starts its own server.</summary>
public sealed class TwilioConfigurationSpecs
{
    [Fact]
    public async Task Behind_a_proxy_signatures_are_checked_against_the_configured_public_url()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var ingress = new RecordingSmsIngress();
        await using var server = await RunningServer.StartAsync(
            twilio.ServerSettings(webhookBaseUrl: "https://sms.example.test/gateway/"),
            builder => builder.Services.AddSingleton<ISmsIngress>(ingress));
        var local = new Uri(server.BaseAddress, TwilioWebhookEndpoints.SmsPath);

        using var forPublicUrl = await twilio.PostInboundSmsAsync(local, "+15550007777", "+15550002222", "hi", signedUrl: "https://sms.example.test/gateway/twilio/sms");
        using var forLocalUrl = await twilio.PostInboundSmsAsync(local, "+15550008888", "+15550002222", "hi");

        Assert.Equal(HttpStatusCode.OK, forPublicUrl.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forLocalUrl.StatusCode);
        Assert.Single(ingress.InboundFrom("+15550007777"));
        Assert.Empty(ingress.InboundFrom("+15550008888"));
    }

    [Fact]
    public async Task A_public_url_with_its_default_port_accepts_signatures_made_with_or_without_it()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var ingress = new RecordingSmsIngress();
        await using var server = await RunningServer.StartAsync(
            twilio.ServerSettings(webhookBaseUrl: "https://sms.example.test:443/gateway"),
            builder => builder.Services.AddSingleton<ISmsIngress>(ingress));
        var local = new Uri(server.BaseAddress, TwilioWebhookEndpoints.SmsPath);

        using var withPort = await twilio.PostInboundSmsAsync(local, "+15550007771", "+15550002222", "hi", signedUrl: "https://sms.example.test:443/gateway/twilio/sms");
        using var withoutPort = await twilio.PostInboundSmsAsync(local, "+15550007772", "+15550002222", "hi", signedUrl: "https://sms.example.test/gateway/twilio/sms");
        using var otherPort = await twilio.PostInboundSmsAsync(local, "+15550007773", "+15550002222", "hi", signedUrl: "https://sms.example.test:80/gateway/twilio/sms");

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden),
            (withPort.StatusCode, withoutPort.StatusCode, otherPort.StatusCode));
        Assert.Single(ingress.InboundFrom("+15550007771"));
        Assert.Single(ingress.InboundFrom("+15550007772"));
        Assert.Empty(ingress.InboundFrom("+15550007773"));
    }

    [Theory]
    [InlineData(TwilioWebhookEndpoints.SmsPath)]
    [InlineData(TwilioWebhookEndpoints.StatusPath)]
    public async Task Without_twilio_the_webhooks_answer_not_configured(string path)
    {
        await using var server = await RunningServer.StartAsync();
        using var content = new FormUrlEncodedContent([new("From", "+15550001111")]);

        using var response = await server.Http.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(TwilioWebhookEndpoints.NotConfiguredCode, json.RootElement.GetProperty("code").GetString());
        Assert.IsNotType<TwilioSmsService>(server.Services.GetService<IClientMessagingService>());
    }

    [Fact]
    public async Task Twilio_replaces_a_provider_registered_before_it()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var server = await RunningServer.StartAsync(
            twilio.ServerSettings(),
            builder => builder.Services.AddSingleton<IClientMessagingService, NeverUsedProvider>());

        Assert.IsType<TwilioSmsService>(server.Services.GetRequiredService<IClientMessagingService>());
        Assert.Single(server.Services.GetServices<IClientMessagingService>());
    }

    [Theory]
    [InlineData("Twilio:AccountSid", "XX0123456789abcdef0123456789abcdef", "AccountSid must start with AC")]
    [InlineData("Twilio:From", "", "exactly one of Twilio:From")]
    [InlineData("Twilio:AuthToken", "", "partly configured")]
    public async Task A_bad_twilio_configuration_stops_the_server_with_a_clear_message(string key, string value, string expected)
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var settings = twilio.ServerSettings();
        settings["Auth:SigningKey"] = RunningServer.TestSigningKey;
        settings[key] = value;
        await using var app = MessagingServerApp.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Testing"],
            builder => builder.Configuration.AddInMemoryCollection(settings));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(twilio.AuthToken, failure.Message, StringComparison.Ordinal);
    }

    private sealed class NeverUsedProvider : IClientMessagingService
    {
        public Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Twilio should have replaced this provider");

        public Task<LookupOutcome> FindAsync(OutboundSms sms, DateTimeOffset sentAfter, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Twilio should have replaced this provider");
    }
}
