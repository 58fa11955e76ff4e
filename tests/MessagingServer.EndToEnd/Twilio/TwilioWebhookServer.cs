using System.Security.Cryptography;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>
/// The server with Twilio configured against a <see cref="FakeTwilio"/> (API key for sending, auth token for
/// webhooks) and a <see cref="RecordingSmsIngress"/> in place of the sessions. Shared by
/// the tests of a class; each test uses its own numbers and message ids.
/// </summary>
public sealed class TwilioWebhookServer : IAsyncLifetime
{
    public FakeTwilio Twilio { get; private set; } = null!;

    public RunningServer Server { get; private set; } = null!;

    public RecordingSmsIngress Ingress { get; } = new();

    public Uri SmsUrl => new(Server.BaseAddress, TwilioPaths.Sms);

    public Uri StatusUrl(string userId, string messageId) =>
        new(Server.BaseAddress, $"{TwilioPaths.Status}?u={Uri.EscapeDataString(userId)}&m={Uri.EscapeDataString(messageId)}");

    /// <summary>A number no other test uses.</summary>
    public static string UniqueNumber() => "+1555" + RandomNumberGenerator.GetInt32(1_000_000, 9_999_999);

    public async Task InitializeAsync()
    {
        Twilio = await FakeTwilio.StartAsync();
        Server = await RunningServer.StartAsync(Twilio.ServerSettings(apiKey: true), builder =>
        {
            builder.Services.AddSingleton<ISmsIngress>(Ingress);
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}

internal static class TwilioPaths
{
    public const string Sms = MessagingServer.Twilio.TwilioWebhookEndpoints.SmsPath;
    public const string Status = MessagingServer.Twilio.TwilioWebhookEndpoints.StatusPath;
}
