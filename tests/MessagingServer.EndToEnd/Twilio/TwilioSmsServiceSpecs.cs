using System.Diagnostics;
using MessagingServer.Domain.Messages;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;
using MessagingServer.Twilio;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

public sealed class TwilioSmsServiceSpecs : IAsyncLifetime
{
    private readonly List<TwilioSender> _senders = [];
    private FakeTwilio _twilio = null!;

    public async Task InitializeAsync() => _twilio = await FakeTwilio.StartAsync();

    public async Task DisposeAsync()
    {
        _senders.ForEach(s => s.Dispose());
        await _twilio.DisposeAsync();
    }

    private TwilioSmsService Service(TwilioOptions options)
    {
        var sender = new TwilioSender(options);
        _senders.Add(sender);
        return sender.Service;
    }

    private static OutboundSms Sms(string body = "Hello from the desk") =>
        new("alice@example.com", "msg-" + Guid.NewGuid().ToString("N"), "+15550001111", "+15550002222", body);

    [Fact]
    public async Task Sends_the_fields_twilio_expects_with_account_credentials()
    {
        var sms = Sms();

        var outcome = await Service(_twilio.Options(webhookBaseUrl: "https://sms.example.test/")).SendAsync(sms, CancellationToken.None);

        var accepted = Assert.IsType<SendOutcome.Accepted>(outcome);
        Assert.Matches("^SM[0-9a-f]{32}$", accepted.ProviderSid);
        Assert.Equal(MessageStatus.Queued, accepted.Status);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal((_twilio.AccountSid, _twilio.AuthToken), (request.AuthUser, request.AuthSecret));
        Assert.Equal(_twilio.AccountSid, request.AccountSidInPath);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["To"] = "+15550002222",
                ["From"] = "+15550001111",
                ["Body"] = "Hello from the desk",
                ["StatusCallback"] = $"https://sms.example.test/twilio/status?u=alice%40example.com&m={sms.MessageId}",
            },
            request.Form);
        Assert.Equal([accepted.ProviderSid], _twilio.CreatedMessages);
    }

    [Fact]
    public async Task Uses_the_configured_sender_when_the_message_names_none()
    {
        var outcome = await Service(_twilio.Options()).SendAsync(Sms() with { From = "" }, CancellationToken.None);

        Assert.IsType<SendOutcome.Accepted>(outcome);
        Assert.Equal("+15550000001", Assert.Single(_twilio.Requests).Form["From"]);
    }

    [Fact]
    public async Task Without_a_webhook_base_no_status_callback_is_asked_for()
    {
        await Service(_twilio.Options()).SendAsync(Sms(), CancellationToken.None);

        Assert.False(Assert.Single(_twilio.Requests).Form.ContainsKey("StatusCallback"));
    }

    [Fact]
    public async Task Authenticates_with_the_api_key_when_one_is_set()
    {
        var outcome = await Service(_twilio.Options(apiKey: true)).SendAsync(Sms(), CancellationToken.None);

        Assert.IsType<SendOutcome.Accepted>(outcome);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal((_twilio.ApiKeySid, _twilio.ApiKeySecret), (request.AuthUser, request.AuthSecret));
        Assert.Equal(_twilio.AccountSid, request.AccountSidInPath);
    }

    [Fact]
    public async Task Sends_the_messaging_service_instead_of_a_sender_number()
    {
        var outcome = await Service(_twilio.Options(messagingService: true)).SendAsync(Sms(), CancellationToken.None);

        Assert.IsType<SendOutcome.Accepted>(outcome);
        var form = Assert.Single(_twilio.Requests).Form;
        Assert.Equal(_twilio.MessagingServiceSid, form["MessagingServiceSid"]);
        Assert.False(form.ContainsKey("From"));
    }

    [Fact]
    public async Task Too_many_requests_twice_then_success_sends_exactly_one_sms_in_three_requests()
    {
        _twilio.Enqueue(FakeTwilioReply.TooManyRequests(), FakeTwilioReply.TooManyRequests());

        var outcome = await Service(_twilio.Options()).SendAsync(Sms(), CancellationToken.None);

        var accepted = Assert.IsType<SendOutcome.Accepted>(outcome);
        Assert.Equal(3, _twilio.Requests.Count);
        Assert.Equal([accepted.ProviderSid], _twilio.CreatedMessages);
    }

    [Fact]
    public async Task Retry_after_is_waited_for_before_the_next_attempt()
    {
        _twilio.Enqueue(FakeTwilioReply.TooManyRequests(retryAfterSeconds: 1));

        var outcome = await Service(_twilio.Options()).SendAsync(Sms(), CancellationToken.None);

        Assert.IsType<SendOutcome.Accepted>(outcome);
        var requests = _twilio.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(Stopwatch.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp) >= TimeSpan.FromMilliseconds(950));
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retries_is_a_rejection_with_20429()
    {
        var options = _twilio.Options();
        options.MaxRetries = 2;
        _twilio.Enqueue(Enumerable.Repeat(FakeTwilioReply.TooManyRequests(), 5).ToArray());

        var outcome = await Service(options).SendAsync(Sms(), CancellationToken.None);

        var rejected = Assert.IsType<SendOutcome.Rejected>(outcome);
        Assert.Equal("20429", rejected.Error.Code);
        Assert.Equal(3, _twilio.Requests.Count);
        Assert.Empty(_twilio.CreatedMessages);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_retry_budget_is_not_waited_for()
    {
        var options = _twilio.Options();
        options.MaxRetryDelay = TimeSpan.FromSeconds(5);
        _twilio.Enqueue(FakeTwilioReply.TooManyRequests(retryAfterSeconds: 3600));

        var outcome = await Service(options).SendAsync(Sms(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("20429", Assert.IsType<SendOutcome.Rejected>(outcome).Error.Code);
        Assert.Single(_twilio.Requests);
    }

    [Theory]
    [InlineData(400, 21211, false)]
    [InlineData(400, 21610, true)]
    [InlineData(400, 21614, false)]
    [InlineData(400, 21617, false)]
    [InlineData(401, 20003, false)]
    [InlineData(400, 21606, false)]
    [InlineData(403, 20008, false)]
    public async Task A_permanent_error_is_a_rejection_with_its_code_after_one_request(int httpStatus, int code, bool optedOut)
    {
        _twilio.Enqueue(FakeTwilioReply.Error(httpStatus, code, $"error {code}"));

        var outcome = await Service(_twilio.Options()).SendAsync(Sms(), CancellationToken.None);

        var rejected = Assert.IsType<SendOutcome.Rejected>(outcome);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), rejected.Error.Code);
        Assert.Equal($"error {code}", rejected.Error.Message);
        Assert.Equal(optedOut, rejected.RecipientOptedOut);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task Wrong_credentials_are_a_rejection_with_20003()
    {
        var options = _twilio.Options();
        options.AuthToken = "not-the-token";

        var outcome = await Service(options).SendAsync(Sms(), CancellationToken.None);

        Assert.Equal("20003", Assert.IsType<SendOutcome.Rejected>(outcome).Error.Code);
        Assert.Single(_twilio.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_server_error_is_unknown_and_never_sent_again(int httpStatus)
    {
        _twilio.Enqueue(FakeTwilioReply.ServerError(httpStatus));

        var outcome = await Service(_twilio.Options()).SendAsync(Sms(), CancellationToken.None);

        Assert.IsType<SendOutcome.Unknown>(outcome);
        Assert.Single(_twilio.Requests);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_server_error_whose_body_is_not_twilios_json_is_unknown_and_never_sent_again(int httpStatus)
    {
        _twilio.Enqueue(FakeTwilioReply.NotJson(httpStatus));

        var outcome = await Service(_twilio.Options()).SendAsync(Sms(), CancellationToken.None);

        Assert.Equal($"http_{httpStatus}", Assert.IsType<SendOutcome.Unknown>(outcome).Error.Code);
        Assert.Single(_twilio.Requests);
        Assert.Empty(_twilio.CreatedMessages);
    }

    [Fact]
    public async Task A_client_error_whose_body_is_not_twilios_json_is_a_rejection_with_its_status()
    {
        _twilio.Enqueue(FakeTwilioReply.NotJson(400, "bad request"));

        var outcome = await Service(_twilio.Options()).SendAsync(Sms(), CancellationToken.None);

        Assert.Equal("http_400", Assert.IsType<SendOutcome.Rejected>(outcome).Error.Code);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task Too_many_requests_without_twilios_json_is_still_retried()
    {
        _twilio.Enqueue(FakeTwilioReply.NotJson(429, "slow down"));

        var outcome = await Service(_twilio.Options()).SendAsync(Sms(), CancellationToken.None);

        var accepted = Assert.IsType<SendOutcome.Accepted>(outcome);
        Assert.Equal(2, _twilio.Requests.Count);
        Assert.Equal([accepted.ProviderSid], _twilio.CreatedMessages);
    }

    [Fact]
    public async Task A_hanging_twilio_is_unknown_after_the_timeout_and_never_sent_again()
    {
        var options = _twilio.Options();
        options.RequestTimeout = TimeSpan.FromSeconds(1);
        _twilio.Enqueue(FakeTwilioReply.Hang);

        var outcome = await Service(options).SendAsync(Sms(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("timeout", Assert.IsType<SendOutcome.Unknown>(outcome).Error.Code);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task An_unreachable_twilio_is_unknown()
    {
        var options = _twilio.Options();
        options.ApiBaseUrl = $"http://127.0.0.1:{ClosedPort()}";

        var outcome = await Service(options).SendAsync(Sms(), CancellationToken.None);

        Assert.Equal("connection_failed", Assert.IsType<SendOutcome.Unknown>(outcome).Error.Code);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_mistaken_for_a_timeout()
    {
        _twilio.Enqueue(FakeTwilioReply.Hang);
        using var cancel = new CancellationTokenSource();
        var send = Service(_twilio.Options()).SendAsync(Sms(), cancel.Token);
        await _twilio.NextArrivalAsync(TimeSpan.FromSeconds(30));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task A_send_cancelled_before_it_starts_sends_nothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Service(_twilio.Options()).SendAsync(Sms(), cancel.Token));
        Assert.Empty(_twilio.Requests);
    }

    /// <summary>A loopback port nothing listens on (free a moment ago).</summary>
    private static int ClosedPort() => MessagingServer.TestSupport.FreePort.Next();
}
