using System.Net;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;
using MessagingServer.Twilio;
using Serilog.Core;
using Serilog.Events;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>
/// Runs alone: each server's logging swaps Serilog's static logger (AddSerilog without
/// preserveStaticLogger), so while other servers start in the same process, a server's events may land
/// in another server's sinks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialLogCollection
{
    public const string Name = "Log capture (runs alone)";
}

[Collection(SerialLogCollection.Name)]
public sealed class TwilioWebhookLogSpecs
{
    [Fact]
    public async Task Refused_webhooks_are_logged_as_warnings_without_secrets_or_message_text()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var logs = new LogCapture();
        await using var server = await RunningServer.StartAsync(twilio.ServerSettings(apiKey: true), builder =>
        {
            builder.Services.AddSingleton<ISmsIngress>(new RecordingSmsIngress());
            builder.Services.AddSingleton<ILogEventSink>(logs);
        });
        var smsUrl = new Uri(server.BaseAddress, TwilioWebhookEndpoints.SmsPath);
        var secretText = "private words " + Guid.NewGuid().ToString("N");
        var form = FakeTwilio.InboundForm(twilio.AccountSid, "+15550004444", "+15550002222", secretText);

        using (var unsigned = new FormUrlEncodedContent(form))
        using (var response = await twilio.Http.PostAsync(smsUrl, unsigned))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var response = await twilio.PostSignedAsync(smsUrl, FakeTwilio.InboundForm(FakeTwilio.NewSid("AC"), "+15550004444", "+15550002222", secretText)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var response = await twilio.PostSignedAsync(smsUrl, form, authToken: "forged"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var response = await twilio.PostSignedAsync(smsUrl, form))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var lines = logs.Lines;
        Assert.Contains(lines, l => l.Level == LogEventLevel.Warning && l.Text.Contains(nameof(TwilioWebhookVerdict.MissingSignature), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Level == LogEventLevel.Warning && l.Text.Contains(nameof(TwilioWebhookVerdict.WrongAccount), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Level == LogEventLevel.Warning && l.Text.Contains(nameof(TwilioWebhookVerdict.InvalidSignature), StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Text.Contains(twilio.AuthToken, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Text.Contains(twilio.ApiKeySecret, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Text.Contains(secretText, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Text.Contains(Uri.EscapeDataString(secretText), StringComparison.Ordinal));
    }
}
