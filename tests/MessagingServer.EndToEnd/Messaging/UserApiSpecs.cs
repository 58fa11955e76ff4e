using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;

namespace MessagingServer.EndToEnd.Messaging;

public sealed class UserApiSpecs : IAsyncLifetime
{
    private const string Number = "+15550005555";
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        [$"Routing:Numbers:{Number}"] = "frank",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_send_without_a_socket_is_accepted_and_seen_live_by_the_users_sockets()
    {
        await using var socket = await MessageClient.ConnectAsync(_server, "api-send");

        var response = await _server.HttpFor("api-send").PostAsJsonAsync("/api/users/api-send/messages", new { to = "+15550001111", body = "from the API", clientRef = "api-1" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var outbound = await socket.ExpectAsync("outbound");
        Assert.Equal((string?)accepted["id"], (string?)outbound["id"]);
        Assert.Equal((long)accepted["seq"]!, (long)outbound["seq"]!);

        var again = await _server.HttpFor("api-send").PostAsJsonAsync("/api/users/api-send/messages", new { to = "+15550001111", body = "from the API", clientRef = "api-1" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal((string?)accepted["id"], (string?)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["id"]);
    }

    [Theory]
    [InlineData("{\"to\":\"12345\",\"body\":\"x\"}", "invalid_to")]
    [InlineData("{\"to\":\"+15550001111\",\"body\":\"\"}", "empty_body")]
    [InlineData("{\"to\":\"+15550001111\"}", "missing_field")]
    [InlineData("{\"to\":15550001111,\"body\":\"x\"}", "invalid_field")]
    [InlineData("{\"to\":\"+15550001111\",\"body\":\"\\u200B\\u200B\"}", "empty_body")]
    [InlineData("{\"to\":\"+15550001111\",\"body\":\"a\\u0000b\"}", "invalid_field")]
    [InlineData("{oops", "invalid_json")]
    [InlineData("{\"type\":\"ack\",\"seq\":1}", "unknown_type")]
    public async Task A_bad_send_is_a_problem_with_a_stable_code(string json, string code)
    {
        var response = await _server.HttpFor("api-bad").PostAsync("/api/users/api-bad/messages", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    [Fact]
    public async Task A_send_that_is_not_json_or_too_big_is_refused()
    {
        var text = await _server.HttpFor("api-bad").PostAsync("/api/users/api-bad/messages", new StringContent("to=+15550001111", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);

        var huge = await _server.HttpFor("api-bad").PostAsync("/api/users/api-bad/messages", new StringContent("{\"to\":\"" + new string('1', 60_000) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task History_pages_through_the_stored_events_oldest_first()
    {
        var ingress = _server.Services.GetRequiredService<ISmsIngress>();
        for (var i = 1; i <= 5; i++)
        {
            await ingress.ReceiveAsync(new InboundSms("+15550001111", Number, $"m{i}", [], $"SMh{i}"), CancellationToken.None);
        }

        var all = JsonNode.Parse(await _server.HttpFor("frank").GetStringAsync("/api/users/frank/messages"))!.AsArray();
        var page = JsonNode.Parse(await _server.HttpFor("frank").GetStringAsync("/api/users/frank/messages?since=2&limit=2"))!.AsArray();

        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], all.Select(e => (string?)e!["body"]));
        Assert.Equal([3L, 4L], page.Select(e => (long)e!["seq"]!));
        Assert.Equal(HttpStatusCode.BadRequest, (await _server.HttpFor("frank").GetAsync("/api/users/frank/messages?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _server.HttpFor("frank").GetAsync("/api/users/frank/messages?since=-3")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _server.HttpFor("frank").GetAsync("/api/users/bad%20user/messages")).StatusCode);
    }

    [Fact]
    public async Task Conversations_show_the_last_message_and_unread_count_per_client()
    {
        var ingress = _server.Services.GetRequiredService<ISmsIngress>();
        await _server.HttpFor("gina").PostAsJsonAsync("/api/users/gina/messages", new { to = "+15550002222", body = "hi two" });
        await using var gina = await MessageClient.ConnectAsync(_server, "gina");
        await gina.ExpectAsync("status", f => (string?)f["status"] == "delivered");
        // Replies from the client this user wrote to come back to this user.
        await ingress.ReceiveAsync(new InboundSms("+15550002222", "+15550000000", "reply 1", [], "SMc1"), CancellationToken.None);
        await ingress.ReceiveAsync(new InboundSms("+15550002222", "+15550000000", "reply 2", [], "SMc2"), CancellationToken.None);
        var second = await gina.ExpectAsync("message", f => (string?)f["body"] == "reply 2");

        var before = JsonNode.Parse(await _server.HttpFor("gina").GetStringAsync("/api/users/gina/conversations"))!.AsArray();
        await gina.SendJsonAsync(new { type = "ack", seq = (long)second["seq"]! });
        await gina.ExpectNothingPendingAsync();
        var after = JsonNode.Parse(await _server.HttpFor("gina").GetStringAsync("/api/users/gina/conversations"))!.AsArray();

        var row = Assert.Single(before)!;
        Assert.Equal("+15550002222", (string?)row["clientNumber"]);
        Assert.Equal("reply 2", (string?)row["lastMessage"]!["body"]);
        Assert.Equal(2, (int)row["unreadCount"]!);
        Assert.Equal(0, (int)Assert.Single(after)!["unreadCount"]!);
    }
}
