using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Messaging;

/// <summary>
/// One loopback server (auto-reply on, 10 events and 2 final sends in a session's memory, frequent snapshots) shared by
/// the MMS, the conversation history and the forgotten-send specs; each spec uses its own users and numbers.
/// </summary>
public sealed class MediaServerFixture : IAsyncLifetime
{
    public const string ThreadUser = "thread-reader";
    public const string ThreadNumber = "+15550303000";

    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        ["Sms:Loopback:AutoReply"] = "true",
        ["Messaging:CachedEvents"] = "10",
        ["Messaging:RememberedSends"] = "2",
        ["Persistence:SnapshotEvery"] = "5",
        [$"Routing:Numbers:{ThreadNumber}"] = ThreadUser,
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LoopbackServerCollection : ICollectionFixture<MediaServerFixture>
{
    public const string Name = "Loopback server with auto-reply";
}

/// <summary>MMS end to end with the loopback provider: socket and REST sends with media, refusals, the echoed reply.</summary>
[Collection(LoopbackServerCollection.Name)]
public sealed class MediaSendSpecs(MediaServerFixture fixture)
{
    private const string Photo = "https://cdn.example.com/photos/cat%201.jpg";
    private const string Chart = "https://cdn.example.com/chart.png?size=large&v=2";
    private RunningServer Server => fixture.Server;

    private static JsonArray Urls(JsonObject frame) => frame["media"]!.AsArray();

    [Fact]
    public async Task A_socket_send_with_media_and_no_text_is_stored_delivered_and_echoed_with_its_media()
    {
        await using var socket = await MessageClient.ConnectAsync(Server, "mms-socket");

        await socket.SendJsonAsync(new { type = "send", to = "+15550101001", body = "", media = new[] { Photo, Chart }, clientRef = "pic-1" });

        var outbound = await socket.ExpectAsync("outbound");
        Assert.Equal([Photo, Chart], Urls(outbound).Select(u => (string?)u));
        Assert.Equal("", (string?)outbound["body"]);
        Assert.Equal("pic-1", (string?)outbound["clientRef"]);
        await socket.ExpectAsync("status", s => (string?)s["status"] == "delivered");
        var reply = await socket.ExpectAsync("message");
        Assert.Equal("+15550101001", (string?)reply["from"]);
        Assert.Equal([Photo, Chart], Urls(reply).Select(u => (string?)u));

        // The same clientRef again: the first outbound, media included, and nothing sent twice.
        await socket.SendJsonAsync(new { type = "send", to = "+15550101001", body = "", media = new[] { Photo, Chart }, clientRef = "pic-1" });
        var again = await socket.ExpectAsync("outbound");
        Assert.Equal((string?)outbound["id"], (string?)again["id"]);
        Assert.Equal([Photo, Chart], Urls(again).Select(u => (string?)u));
    }

    [Fact]
    public async Task A_plain_sms_has_no_media_field_on_the_outbound_event()
    {
        await using var socket = await MessageClient.ConnectAsync(Server, "mms-plain");

        await socket.SendAsync("+15550101002", "just text");

        Assert.False((await socket.ExpectAsync("outbound")).ContainsKey("media"));
        Assert.Empty(Urls(await socket.ExpectAsync("message")));
    }

    [Fact]
    public async Task Bad_media_on_the_socket_is_an_error_with_its_client_ref_and_stores_nothing()
    {
        await using var socket = await MessageClient.ConnectAsync(Server, "mms-bad-socket");

        await socket.SendJsonAsync(new { type = "send", to = "+15550101003", body = "x", media = new[] { "http://insecure.example/a.jpg" }, clientRef = "bad-1" });
        var error = await socket.ExpectAsync("error");
        await socket.SendJsonAsync(new { type = "send", to = "+15550101003", body = "", media = Array.Empty<string>() });
        var empty = await socket.ExpectAsync("error");

        Assert.Equal("invalid_media", (string?)error["code"]);
        Assert.Equal("bad-1", (string?)error["clientRef"]);
        Assert.Equal("empty_body", (string?)empty["code"]);
        await socket.ExpectNothingPendingAsync();
        var history = JsonNode.Parse(await Server.HttpFor("mms-bad-socket").GetStringAsync("/api/users/mms-bad-socket/messages"))!.AsArray();
        Assert.Empty(history);
    }

    [Fact]
    public async Task A_rest_send_with_media_is_accepted_and_seen_on_the_socket()
    {
        await using var socket = await MessageClient.ConnectAsync(Server, "mms-rest");

        var response = await Server.HttpFor("mms-rest").PostAsJsonAsync("/api/users/mms-rest/messages", new { to = "+15550101004", body = "see this", media = new[] { Photo } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var outbound = await socket.ExpectAsync("outbound");
        Assert.Equal((string?)accepted["id"], (string?)outbound["id"]);
        Assert.Equal([Photo], Urls(outbound).Select(u => (string?)u));
        Assert.Equal([Photo], Urls(await socket.ExpectAsync("message")).Select(u => (string?)u));
    }

    [Fact]
    public async Task Ten_long_urls_fit_in_a_rest_body()
    {
        var urls = Enumerable.Range(0, 10).Select(i => $"https://cdn.example.com/{i}/" + new string('a', 2000)).ToArray();

        var response = await Server.HttpFor("mms-rest-long").PostAsJsonAsync("/api/users/mms-rest-long/messages", new { to = "+15550101005", media = urls });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"to\":\"+15550101006\",\"body\":\"x\",\"media\":\"https://cdn.example.com/a.jpg\"}")]
    [InlineData("{\"to\":\"+15550101006\",\"body\":\"x\",\"media\":[\"ftp://cdn.example.com/a.jpg\"]}")]
    [InlineData("{\"to\":\"+15550101006\",\"body\":\"x\",\"media\":[\"https://cdn.example.com/a.jpg\\u0000\"]}")]
    [InlineData("{\"to\":\"+15550101006\",\"body\":\"x\",\"media\":[\"https://cdn.example.com/a.jpg\",\"https://cdn.example.com/a.jpg\"]}")]
    [InlineData("{\"to\":\"+15550101006\",\"body\":\"x\",\"media\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}")]
    public async Task Bad_media_on_rest_is_a_400_problem_with_invalid_media_and_stores_nothing(string json)
    {
        var response = await Server.HttpFor("mms-bad-rest").PostAsync("/api/users/mms-bad-rest/messages", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_media", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
        Assert.Empty(JsonNode.Parse(await Server.HttpFor("mms-bad-rest").GetStringAsync("/api/users/mms-bad-rest/messages"))!.AsArray());
    }
}
