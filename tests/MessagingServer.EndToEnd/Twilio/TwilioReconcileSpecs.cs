using System.Net;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>
/// Reconciliation against the fake Twilio over HTTP: a send whose answer is lost (a timeout or a 5xx) is looked up in
/// Twilio's message list, never resent. Short window and backoff, so that "not sent" comes within seconds.
/// </summary>
public sealed class TwilioReconcileSpecs : IAsyncLifetime
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
        settings["Twilio:RequestTimeout"] = "00:00:01";
        settings["Twilio:ReconcileWindow"] = "00:00:03";
        settings["Twilio:ReconcileFirstDelay"] = "00:00:00.200";
        settings["Twilio:ReconcileMaxDelay"] = "00:00:00.500";
        settings[$"Routing:Numbers:{OurNumber}"] = "desk";
        _server = await RunningServer.StartAsync(settings, url: $"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task A_timeout_after_twilio_created_the_message_is_found_with_its_real_sid_and_later_callbacks_apply()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "desk-timeout");
        _twilio.Enqueue(FakeTwilioReply.CreatedButLost(FakeTwilioReply.Hang));
        var client = TwilioWebhookServer.UniqueNumber();

        await desk.SendAsync(client, "did it go?");

        var outbound = await desk.ExpectAsync("outbound");
        var found = await desk.ExpectAsync("status");
        Assert.Equal("queued", (string?)found["status"]);
        Assert.Null(found["error"]);
        Assert.Contains(_twilio.ListQueries, q => q.Contains(Uri.EscapeDataString(client), StringComparison.Ordinal));

        // The callback of the message Twilio has (its SID) moves the same send forward.
        var request = Assert.Single(_twilio.Requests, r => r.Form["To"] == client);
        using var delivered = await _twilio.PostStatusCallbackAsync(request.Form["StatusCallback"], FakeTwilio.NewSid("SM"), "delivered");
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        var status = await desk.ExpectAsync("status");
        Assert.Equal(((string?)outbound["id"], "delivered"), ((string?)status["id"], (string?)status["status"]));
        Assert.Single(_twilio.Requests, r => r.Form["To"] == client);
    }

    [Fact]
    public async Task A_server_error_before_twilio_created_anything_ends_failed_not_sent_and_is_never_resent()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "desk-500");
        _twilio.Enqueue(FakeTwilioReply.ServerError());
        var client = TwilioWebhookServer.UniqueNumber();

        await desk.SendAsync(client, "maybe");

        await desk.ExpectAsync("outbound");
        var failed = await desk.ExpectAsync("status");
        Assert.Equal("failed", (string?)failed["status"]);
        Assert.Equal("not_sent", (string?)failed["error"]!["code"]);
        Assert.Single(_twilio.Requests, r => r.Form["To"] == client);
        Assert.True(_twilio.ListQueries.Count(q => q.Contains(Uri.EscapeDataString(client), StringComparison.Ordinal)) >= 2);
        await desk.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task A_lost_mms_matches_only_a_message_with_as_many_media_never_a_plain_sms_with_the_same_body()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "desk-mms");
        var client = TwilioWebhookServer.UniqueNumber();
        var other = TwilioWebhookServer.UniqueNumber();
        string[] media = ["https://cdn.example.com/flyer.jpg", "https://cdn.example.com/map.png"];

        // Twilio has a plain SMS with the words of the MMS to the same client; the MMS itself never reached it.
        _twilio.Enqueue(FakeTwilioReply.Created(), FakeTwilioReply.ServerError(), FakeTwilioReply.CreatedButLost(FakeTwilioReply.ServerError()));
        await desk.SendAsync(client, "polls open at 7");
        await desk.ExpectAsync("outbound", o => o["media"] is null);
        await desk.SendJsonAsync(new { type = "send", to = client, body = "polls open at 7", media });
        var lost = (string)(await desk.ExpectAsync("outbound", o => o["media"] is not null))["id"]!;
        // An MMS Twilio created (its answer lost) is found: same body, same number of media.
        await desk.SendJsonAsync(new { type = "send", to = other, body = "polls open at 7", media });
        var created = (string)(await desk.ExpectAsync("outbound", o => (string?)o["to"] == other))["id"]!;

        var verdicts = new Dictionary<string, JsonObject>();
        while (verdicts.Count < 2)
        {
            var status = await desk.ExpectAsync("status", s => (string?)s["id"] == lost || (string?)s["id"] == created);
            verdicts[(string)status["id"]!] = status;
        }

        Assert.Equal(("failed", "not_sent"), ((string?)verdicts[lost]["status"], (string?)verdicts[lost]["error"]?["code"]));
        Assert.Equal("queued", (string?)verdicts[created]["status"]);
        Assert.Null(verdicts[created]["error"]);
        Assert.Equal(2, _twilio.Requests.Count(r => r.Form["To"] == client));
        Assert.Single(_twilio.Requests, r => r.Form["To"] == other);
    }
}
