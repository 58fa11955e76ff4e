using MessagingServer.Domain.Messages;
using MessagingServer.Sms;
using MessagingServer.TestSupport;
using MessagingServer.TestSupport.Twilio;
using MessagingServer.Twilio;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>
/// What the server takes from Twilio's answers: never more than <c>Twilio:MaxResponseBytes</c> of a body, and
/// never a client's phone number from Twilio's error text into a log (issue 14 item 11).
/// </summary>
public sealed class TwilioAnswerBoundsSpecs : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private FakeTwilio _twilio = null!;
    private TwilioSender? _sender;
    private ILoggerFactory? _loggers;

    public async Task InitializeAsync() => _twilio = await FakeTwilio.StartAsync();

    public async Task DisposeAsync()
    {
        _sender?.Dispose();
        _loggers?.Dispose();
        await _twilio.DisposeAsync();
    }

    private TwilioSmsService Service(TwilioOptions options)
    {
        _loggers = LoggerFactory.Create(l => l.AddSerilog(new Serilog.LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(_logs).CreateLogger(), dispose: true));
        _sender = new TwilioSender(options, _loggers.CreateLogger<TwilioSmsService>());
        return _sender.Service;
    }

    private static OutboundSms Sms(string to = "+15550002222") =>
        new("alice@example.com", "msg-" + Guid.NewGuid().ToString("N"), "+15550001111", to, "hi");

    [Theory]
    [InlineData(200)]
    [InlineData(500)]
    public async Task A_huge_answer_fails_the_call_as_a_provider_error_without_being_read(int httpStatus)
    {
        var options = _twilio.Options();
        options.MaxResponseBytes = 64 * 1024;
        _twilio.Enqueue(FakeTwilioReply.NotJson(httpStatus, new string('x', 8 * 1024 * 1024)));

        var outcome = await Service(options).SendAsync(Sms(), CancellationToken.None);

        var unknown = Assert.IsType<SendOutcome.Unknown>(outcome);
        Assert.Equal("connection_failed", unknown.Error.Code);
        Assert.Contains(nameof(HttpRequestError.ConfigurationLimitExceeded), unknown.Error.Message, StringComparison.Ordinal);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task An_answer_under_the_limit_is_read_as_before()
    {
        var options = _twilio.Options();
        options.MaxResponseBytes = 16 * 1024;

        var outcome = await Service(options).SendAsync(Sms(), CancellationToken.None);

        Assert.IsType<SendOutcome.Accepted>(outcome);
    }

    [Fact]
    public async Task A_rejection_naming_the_number_is_logged_with_the_number_masked()
    {
        _twilio.Enqueue(FakeTwilioReply.Error(400, 21211, "The 'To' number +15557654321 is not a valid phone number."));

        var outcome = await Service(_twilio.Options()).SendAsync(Sms("+15557654321"), CancellationToken.None);

        Assert.Contains("+15557654321", Assert.IsType<SendOutcome.Rejected>(outcome).Error.Message, StringComparison.Ordinal);
        var warning = Assert.Single(_logs.Events, e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.StartsWith("Twilio rejected", StringComparison.Ordinal));
        var text = LogCapture.Everything(warning);
        Assert.Contains("+*********21", text, StringComparison.Ordinal);
        Assert.DoesNotContain("5557654321", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_outcome_naming_the_number_is_logged_with_the_number_masked()
    {
        _twilio.Enqueue(FakeTwilioReply.Error(503, 30001, "Queue overflow while sending to +15557654321"));

        var outcome = await Service(_twilio.Options()).SendAsync(Sms("+15557654321"), CancellationToken.None);

        Assert.IsType<SendOutcome.Unknown>(outcome);
        Assert.NotEmpty(_logs.Events);
        Assert.All(_logs.Events, e => Assert.DoesNotContain("5557654321", LogCapture.Everything(e), StringComparison.Ordinal));
    }
}
