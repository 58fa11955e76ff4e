using System.Net;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>The whole path with Twilio configured: sockets, sessions, the real client, a fake Twilio over HTTP, signed webhooks.</summary>
public sealed class TwilioSessionSpecs : IAsyncLifetime
{
    private const string OurNumber = "+15550000001";
    private FakeTwilio _twilio = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilio.StartAsync();
        var port = FreePort.Next();
        var settings = _twilio.ServerSettings(webhookBaseUrl: $"http://127.0.0.1:{port}");
        settings["Twilio:MessagesPerSecond"] = "100";
        settings[$"Routing:Numbers:{OurNumber}"] = "desk";
        _server = await RunningServer.StartAsync(settings, url: $"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private Uri SmsUrl => new(_server.BaseAddress, TwilioPaths.Sms);

    [Fact]
    public async Task A_send_reaches_twilio_with_the_right_fields_and_its_callbacks_become_status_frames()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "desk");
        var client = TwilioWebhookServer.UniqueNumber();

        await desk.SendAsync(client, "Your order shipped");

        var outbound = await desk.ExpectAsync("outbound");
        var request = await _twilio.NextArrivalAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(client, request.Form["To"]);
        Assert.Equal(OurNumber, request.Form["From"]);
        Assert.Equal("Your order shipped", request.Form["Body"]);
        var callback = request.Form["StatusCallback"];
        Assert.Contains($"m={outbound["id"]}", callback, StringComparison.Ordinal);
        // The fake records the message it created as it answers, just after the request's arrival is signalled.
        await Eventually.TrueAsync(() => _twilio.CreatedMessages.Count > 0, TimeSpan.FromSeconds(10));
        var sid = Assert.Single(_twilio.CreatedMessages);

        Assert.Equal(HttpStatusCode.OK, (await _twilio.PostStatusCallbackAsync(callback, sid, "sent")).StatusCode);
        Assert.Equal("sent", (string?)(await desk.ExpectAsync("status"))["status"]);
        Assert.Equal(HttpStatusCode.OK, (await _twilio.PostStatusCallbackAsync(callback, sid, "delivered")).StatusCode);
        Assert.Equal("delivered", (string?)(await desk.ExpectAsync("status"))["status"]);

        // A late "sent" never overwrites "delivered".
        Assert.Equal(HttpStatusCode.OK, (await _twilio.PostStatusCallbackAsync(callback, sid, "sent")).StatusCode);
        await desk.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Readiness_names_twilio_as_the_provider_without_its_secrets()
    {
        var body = await _server.Http.GetStringAsync("/health/ready");

        Assert.Contains("Twilio account", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_twilio.AuthToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain(_twilio.AccountSid, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_twice_then_success_sends_exactly_one_sms()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "desk-429");
        _twilio.Enqueue(FakeTwilioReply.TooManyRequests(), FakeTwilioReply.TooManyRequests());

        await desk.SendAsync(TwilioWebhookServer.UniqueNumber(), "patience");
        await desk.ExpectAsync("outbound");

        await Eventually.TrueAsync(() => _twilio.CreatedMessages.Count == 1);
        Assert.Equal(3, _twilio.Requests.Count);
        await desk.ExpectNothingPendingAsync();
    }

    [Theory]
    [InlineData(400, 21211, "The 'To' number is not a valid phone number.")]
    [InlineData(400, 21614, "'To' number is not a valid mobile number")]
    [InlineData(400, 21617, "The concatenated message body exceeds the 1600 character limit.")]
    [InlineData(401, 20003, "Authenticate")]
    public async Task A_permanent_error_fails_the_message_at_once_with_twilios_code(int http, int code, string message)
    {
        await using var desk = await MessageClient.ConnectAsync(_server, $"desk-{code}");
        _twilio.Enqueue(FakeTwilioReply.Error(http, code, message));

        await desk.SendAsync(TwilioWebhookServer.UniqueNumber(), "doomed");

        await desk.ExpectAsync("outbound");
        var failed = await desk.ExpectAsync("status");
        Assert.Equal("failed", (string?)failed["status"]);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)failed["error"]!["code"]);
        Assert.Equal(message, (string?)failed["error"]!["message"]);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task A_signed_inbound_sms_arrives_once_as_a_message_frame_even_when_retried()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "desk");
        var client = TwilioWebhookServer.UniqueNumber();
        var sid = FakeTwilio.NewSid("SM");

        var first = await _twilio.PostInboundSmsAsync(SmsUrl, client, OurNumber, "Where is my parcel?", ["https://api.twilio.test/Media/ME1"], sid);
        var retry = await _twilio.PostInboundSmsAsync(SmsUrl, client, OurNumber, "Where is my parcel?", ["https://api.twilio.test/Media/ME1"], sid);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var message = await desk.ExpectAsync("message", f => (string?)f["from"] == client);
        Assert.Equal("Where is my parcel?", (string?)message["body"]);
        Assert.Equal("https://api.twilio.test/Media/ME1", (string?)message["media"]![0]);
        await desk.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Unsigned_wrongly_signed_wrong_account_and_tampered_webhooks_are_refused_and_deliver_nothing()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "desk");
        var client = TwilioWebhookServer.UniqueNumber();
        var form = FakeTwilio.InboundForm(_twilio.AccountSid, client, OurNumber, "sneaky");

        using var unsigned = await _twilio.Http.PostAsync(SmsUrl, new FormUrlEncodedContent(form));
        using var otherKey = await _twilio.PostSignedAsync(SmsUrl, form, authToken: "not-the-token");
        using var otherAccount = await _twilio.PostSignedAsync(SmsUrl, FakeTwilio.InboundForm(FakeTwilio.NewSid("AC"), client, OurNumber, "sneaky"));
        var tampered = new HttpRequestMessage(HttpMethod.Post, SmsUrl)
        {
            Content = new FormUrlEncodedContent(form.Select(f => f.Key == "Body" ? new KeyValuePair<string, string>("Body", "tampered") : f)),
        };
        tampered.Headers.Add(TwilioSigner.HeaderName, TwilioSigner.Sign(_twilio.AuthToken, SmsUrl.AbsoluteUri, form));
        using var tamperedResponse = await _twilio.Http.SendAsync(tampered);

        Assert.All([unsigned, otherKey, otherAccount, tamperedResponse], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        await desk.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Stop_blocks_later_sends_without_calling_twilio_and_start_allows_them_again()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "desk");
        var client = TwilioWebhookServer.UniqueNumber();
        Assert.Equal(HttpStatusCode.OK, (await _twilio.PostInboundSmsAsync(SmsUrl, client, OurNumber, " stop ")).StatusCode);
        await desk.ExpectAsync("message", f => (string?)f["from"] == client);
        var before = _twilio.Requests.Count;

        await desk.SendAsync(client, "are you sure?", clientRef: "after-stop");

        var error = await desk.ExpectAsync("error");
        Assert.Equal("opted_out", (string?)error["code"]);
        Assert.Equal("after-stop", (string?)error["clientRef"]);
        Assert.Equal(before, _twilio.Requests.Count);

        Assert.Equal(HttpStatusCode.OK, (await _twilio.PostInboundSmsAsync(SmsUrl, client, OurNumber, "START")).StatusCode);
        await desk.ExpectAsync("message", f => (string?)f["body"] == "START");
        await desk.SendAsync(client, "welcome back");
        await desk.ExpectAsync("outbound");
        await Eventually.TrueAsync(() => _twilio.Requests.Count == before + 1);
    }
}
