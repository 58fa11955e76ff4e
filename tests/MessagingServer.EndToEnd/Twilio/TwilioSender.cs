using MessagingServer.TestSupport.Twilio;
using MessagingServer.Twilio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>
/// A <see cref="TwilioSmsService"/> built as the server builds it: the SDK over the named <c>twilio</c>
/// HttpClient with its base-URL handler, for options a test chose.
/// </summary>
internal sealed class TwilioSender : IDisposable
{
    private readonly ServiceProvider _services;

    public TwilioSender(TwilioOptions options, ILogger<TwilioSmsService>? logger = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.ClearProviders());
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddTwilioHttpClient();
        _services = services.BuildServiceProvider();
        Service = new TwilioSmsService(
            _services.GetRequiredService<IHttpClientFactory>(), Microsoft.Extensions.Options.Options.Create(options),
            logger ?? NullLogger<TwilioSmsService>.Instance, TimeProvider.System);
    }

    public TwilioSmsService Service { get; }

    public void Dispose() => _services.Dispose();
}

/// <summary>The server's <see cref="TwilioOptions"/> for a <see cref="FakeTwilio"/>.</summary>
internal static class FakeTwilioOptionsExtensions
{
    public static TwilioOptions Options(this FakeTwilio fake, string? webhookBaseUrl = null, bool apiKey = false, bool messagingService = false) => new()
    {
        AccountSid = fake.AccountSid,
        AuthToken = fake.AuthToken,
        ApiKeySid = apiKey ? fake.ApiKeySid : null,
        ApiKeySecret = apiKey ? fake.ApiKeySecret : null,
        From = messagingService ? null : "+15550000001",
        MessagingServiceSid = messagingService ? fake.MessagingServiceSid : null,
        ApiBaseUrl = fake.BaseAddress.AbsoluteUri,
        WebhookBaseUrl = webhookBaseUrl,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };
}
