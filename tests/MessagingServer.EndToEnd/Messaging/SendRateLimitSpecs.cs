using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Messaging;

/// <summary>The per-user send budget, kept by the user's session: 3 at once, then one per 100 s.</summary>
public sealed class SendRateLimitSpecs : IAsyncLifetime
{
    private const int Burst = 3;
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:SendBurst"] = "3",
        ["Limits:SendsPerSecond"] = "0.01",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> SendAsync(string user, int i) =>
        _server.HttpFor(user).PostAsJsonAsync($"/api/users/{user}/messages", new { to = "+15550001111", body = $"n{i}", clientRef = $"c{i}" });

    [Fact]
    public async Task Over_the_budget_a_rest_send_is_429_rate_limited_and_nothing_is_stored()
    {
        for (var i = 0; i < Burst; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync("rate-rest", i)).StatusCode);
        }

        var refused = await SendAsync("rate-rest", Burst);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]);
        var history = JsonNode.Parse(await _server.HttpFor("rate-rest").GetStringAsync("/api/users/rate-rest/messages"))!.AsArray();
        Assert.Equal(["n0", "n1", "n2"], history.Where(e => (string?)e!["type"] == "outbound").Select(e => (string?)e!["body"]));
    }

    [Fact]
    public async Task Invalid_requests_spend_none_of_the_users_budget()
    {
        for (var i = 0; i < 10; i++)
        {
            var bad = await _server.HttpFor("rate-bad").PostAsync("/api/users/rate-bad/messages",
                new StringContent("{\"to\":\"12345\",\"body\":\"x\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        await using var socket = await MessageClient.ConnectAsync(_server, "rate-bad");
        await socket.SendJsonAsync(new { type = "send", to = "12345", body = "x" });
        await socket.ExpectAsync("error", f => (string?)f["code"] == "invalid_to");

        for (var i = 0; i < Burst; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync("rate-bad", i)).StatusCode);
        }
    }

    [Fact]
    public async Task A_users_sockets_and_rest_sends_share_one_budget_and_other_users_keep_theirs()
    {
        await using var first = await MessageClient.ConnectAsync(_server, "rate-shared");
        await using var second = await MessageClient.ConnectAsync(_server, "rate-shared");
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync("rate-shared", 0)).StatusCode);
        await first.SendAsync("+15550001111", "from one", clientRef: "s1");
        await first.ExpectAsync("outbound", f => (string?)f["clientRef"] == "s1");
        await second.SendAsync("+15550001111", "from two", clientRef: "s2");
        await second.ExpectAsync("outbound", f => (string?)f["clientRef"] == "s2");

        await second.SendAsync("+15550001111", "one too many", clientRef: "s3");

        var error = await second.ExpectAsync("error");
        Assert.Equal(("rate_limited", "s3"), ((string?)error["code"], (string?)error["clientRef"]));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync("rate-shared", 9)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync("rate-other", 0)).StatusCode);
    }
}
