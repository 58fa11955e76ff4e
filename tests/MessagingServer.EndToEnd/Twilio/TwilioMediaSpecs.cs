using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>An MMS through the real Twilio SDK to the fake Twilio: one repeated <c>MediaUrl</c> form field per URL.</summary>
public sealed class TwilioMediaSpecs : IAsyncLifetime
{
    private const string OurNumber = "+15550000001";
    private FakeTwilio _twilio = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilio.StartAsync();
        var settings = _twilio.ServerSettings();
        settings["Twilio:MessagesPerSecond"] = "100";
        settings[$"Routing:Numbers:{OurNumber}"] = "mms-desk";
        _server = await RunningServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task Media_reaches_twilio_as_repeated_media_url_fields_in_order_with_no_body_when_empty()
    {
        await using var desk = await MessageClient.ConnectAsync(_server, "mms-desk");
        var client = TwilioWebhookServer.UniqueNumber();
        string[] media = ["https://cdn.example.com/a%20b.jpg?x=1,2", "https://cdn.example.com/c.png"];

        await desk.SendJsonAsync(new { type = "send", to = client, body = "", media });
        var outbound = await desk.ExpectAsync("outbound");
        var request = await _twilio.NextArrivalAsync(TimeSpan.FromSeconds(10));
        await desk.SendJsonAsync(new { type = "send", to = client, body = "caption", media = new[] { media[1] } });
        var captioned = await _twilio.NextArrivalAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(media, outbound["media"]!.AsArray().Select(u => (string?)u));
        Assert.Equal(client, request.Form["To"]);
        Assert.Equal(media, request.MediaUrls);
        Assert.False(request.Form.ContainsKey("Body"));
        Assert.IsType<FakeTwilioReply.Success>(request.Reply);
        Assert.Equal([media[1]], captioned.MediaUrls);
        Assert.Equal("caption", captioned.Form["Body"]);
    }
}
