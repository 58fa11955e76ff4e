using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;

namespace MessagingServer.EndToEnd.Messaging;

/// <summary>
/// <c>GET /api/users/{id}/conversations/{clientNumber}/messages</c> against a server whose sessions keep only 10 events
/// in memory: pages come from the whole journal, newest first, and bad input is a problem with a stable code.
/// </summary>
[Collection(LoopbackServerCollection.Name)]
public sealed class ConversationHistorySpecs(MediaServerFixture fixture)
{
    private RunningServer Server => fixture.Server;

    private static string Path(string user, string client, string query = "") => $"/api/users/{user}/conversations/{Uri.EscapeDataString(client)}/messages{query}";

    private async Task<JsonArray> GetAsync(string user, string path) =>
        JsonNode.Parse(await Server.HttpFor(user).GetStringAsync(path))!.AsArray();

    [Fact]
    public async Task A_long_thread_pages_back_newest_first_through_events_older_than_memory()
    {
        const string user = MediaServerFixture.ThreadUser;
        const string alice = "+15550303001";
        const string bob = "+15550303002";
        var ingress = Server.Services.GetRequiredService<ISmsIngress>();
        await using (var socket = await MessageClient.ConnectAsync(Server, user))
        {
            var ours = await Server.HttpFor(user).PostAsJsonAsync($"/api/users/{user}/messages", new { to = alice, body = "hello", media = new[] { "https://cdn.example.com/x.jpg" } });
            Assert.Equal(HttpStatusCode.Accepted, ours.StatusCode);

            // The loopback's sent, delivered and auto-reply are stored, in that order, before the replies below.
            await socket.ExpectAsync("message");
        }

        for (var i = 1; i <= 12; i++)
        {
            // Alice's replies, and Bob's messages to the same number between them.
            await ingress.ReceiveAsync(new InboundSms(alice, MediaServerFixture.ThreadNumber, $"a{i}", [], $"SMthread-a{i}"), CancellationToken.None);
            await ingress.ReceiveAsync(new InboundSms(bob, MediaServerFixture.ThreadNumber, $"b{i}", [], $"SMthread-b{i}"), CancellationToken.None);
        }

        var all = await GetAsync(user, Path(user, alice, "?limit=200"));
        var pages = new List<JsonArray> { await GetAsync(user, Path(user, alice, "?limit=5")) };
        while (pages[^1].Count == 5)
        {
            pages.Add(await GetAsync(user, Path(user, alice, $"?limit=5&before={(long)pages[^1][^1]!["seq"]!}")));
        }

        var seqs = all.Select(e => (long)e!["seq"]!).ToList();
        Assert.Equal(seqs.OrderDescending(), seqs);
        var outbound = Assert.Single(all, e => (string?)e!["type"] == "outbound");
        Assert.Equal("https://cdn.example.com/x.jpg", (string?)outbound!["media"]![0]);
        Assert.All(all, e => Assert.True((string?)e!["from"] == alice || (string?)e["to"] == alice || (string?)e["id"] == (string?)outbound["id"]));
        Assert.Equal(13, all.Count(e => (string?)e!["type"] == "message"));
        Assert.Equal(["delivered", "sent"], all.Where(e => (string?)e!["type"] == "status").Select(e => (string?)e!["status"]));
        Assert.Equal(16, all.Count);
        Assert.Equal([5, 5, 5, 1], pages.Select(p => p.Count));
        Assert.Equal(seqs, pages.SelectMany(p => p).Select(e => (long)e!["seq"]!));
        Assert.Equal("a12", (string?)all[0]!["body"]);
    }

    [Theory]
    [InlineData("15550303001", "", "invalid_client_number")]
    [InlineData("+1555", "", "invalid_client_number")]
    [InlineData("+1555030300a", "", "invalid_client_number")]
    [InlineData("+15550303001", "?before=0", "invalid_cursor")]
    [InlineData("+15550303001", "?before=-5", "invalid_cursor")]
    [InlineData("+15550303001", "?before=abc", "invalid_cursor")]
    [InlineData("+15550303001", "?before=99999999999999999999999", "invalid_cursor")]
    [InlineData("+15550303001", "?before=5&before=6", "invalid_cursor")]
    [InlineData("+15550303001", "?limit=0", "invalid_field")]
    [InlineData("+15550303001", "?limit=201", "invalid_field")]
    [InlineData("+15550303001", "?limit=1e3", "invalid_field")]
    [InlineData("+15550303001", "?limit=5&limit=5", "invalid_field")]
    public async Task Bad_input_is_a_400_problem_with_a_stable_code(string client, string query, string code)
    {
        var response = await Server.HttpFor("thread-bad").GetAsync(Path("thread-bad", client, query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    [Fact]
    public async Task Another_users_token_is_forbidden_and_no_token_unauthorized_and_an_unknown_thread_is_empty()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Server.HttpFor("thread-other").GetAsync(Path("thread-owner", "+15550303009"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Http.GetAsync(Path("thread-owner", "+15550303009"))).StatusCode);
        Assert.Empty(await GetAsync("thread-owner", Path("thread-owner", "+15550303009")));
        Assert.Empty(await GetAsync("thread-owner", $"/api/users/thread-owner/conversations/+15550303009/messages"));
    }
}
