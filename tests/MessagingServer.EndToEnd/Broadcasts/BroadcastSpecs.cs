using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.EndToEnd.Messaging;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Broadcasts;

/// <summary>Broadcasts end to end with the loopback provider: REST, progress events on the socket, one outbound per recipient.</summary>
public sealed class BroadcastSpecs : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        // Far below the broadcast's size: a broadcast must not be held to the interactive send budget.
        ["Limits:SendsPerSecond"] = "1",
        ["Limits:SendBurst"] = "2",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string[] Numbers(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"+1555{prefix}{i:000}")];

    [Fact]
    public async Task A_broadcast_sends_one_outbound_per_recipient_and_streams_its_progress()
    {
        const string user = "bc-loop";
        await using var socket = await MessageClient.ConnectAsync(_server, user);
        var to = Numbers("1000", 25);

        var response = await _server.HttpFor(user).PostAsJsonAsync($"/api/users/{user}/broadcasts", new { to = to.Concat(to.Take(5)), body = "vote tuesday", clientRef = "c-1" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["broadcastId"]!;
        var outbound = new List<JsonObject>();
        var progress = new List<JsonObject>();
        while (progress.Count == 0 || (int)progress[^1]["sent"]! < to.Length)
        {
            var e = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));
            switch ((string?)e["type"])
            {
                case "outbound":
                    outbound.Add(e);
                    break;
                case "broadcast":
                    FrameSchemas.AssertValid(e.ToJsonString());
                    progress.Add(e);
                    break;
            }
        }

        Assert.Equal(to.Order(), outbound.Select(o => (string)o["to"]!).Order());
        Assert.All(outbound, o => Assert.StartsWith($"bc:{id}:", (string?)o["clientRef"], StringComparison.Ordinal));
        Assert.All(progress, p => Assert.Equal(id, (string?)p["id"]));
        Assert.All(progress, p => Assert.Equal(to.Length, (int)p["total"]!));
        Assert.InRange(progress.Count, 2, 12);

        var status = JsonNode.Parse(await _server.HttpFor(user).GetStringAsync($"/api/users/{user}/broadcasts/{id}"))!;
        Assert.Equal(to.Length, (int)status["sent"]!);
        Assert.Equal(0, (int)status["cancelled"]!);

        // The same clientRef answers the first broadcast and texts nobody again.
        var again = await _server.HttpFor(user).PostAsJsonAsync($"/api/users/{user}/broadcasts", new { to, body = "vote tuesday", clientRef = "c-1" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(id, (string?)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["broadcastId"]);
        var cancel = await _server.HttpFor(user).DeleteAsync($"/api/users/{user}/broadcasts/{id}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(0, (int)JsonNode.Parse(await cancel.Content.ReadAsStringAsync())!["cancelled"]!);
        var history = JsonNode.Parse(await _server.HttpFor(user).GetStringAsync($"/api/users/{user}/messages?limit=1000"))!.AsArray();
        Assert.Equal(to.Length, history.Count(e => (string?)e!["type"] == "outbound"));
        Assert.Equal(progress.Count, history.Count(e => (string?)e!["type"] == "broadcast"));
    }

    [Theory]
    [InlineData("""{"to":[],"body":"x"}""", HttpStatusCode.BadRequest, "no_recipients")]
    [InlineData("""{"to":["+15550001111","nope"],"body":"x"}""", HttpStatusCode.BadRequest, "invalid_to")]
    [InlineData("""{"to":["+15550001111"],"body":"x","body":"y"}""", HttpStatusCode.BadRequest, "duplicate_field")]
    [InlineData("""{"to":["+15550001111"],"body":"x","media":["ftp://x/y"]}""", HttpStatusCode.BadRequest, "invalid_media")]
    [InlineData("""{oops""", HttpStatusCode.BadRequest, "invalid_json")]
    public async Task Bad_broadcasts_are_problems_with_stable_codes(string json, HttpStatusCode status, string code)
    {
        var response = await _server.HttpFor("bc-bad").PostAsync("/api/users/bc-bad/broadcasts", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    [Fact]
    public async Task Too_many_recipients_a_huge_body_and_unknown_ids_are_refused()
    {
        var http = _server.HttpFor("bc-limits");
        var many = await http.PostAsJsonAsync("/api/users/bc-limits/broadcasts", new { to = Enumerable.Range(0, 10_001).Select(i => $"+1555{i:0000000}"), body = "x" });
        Assert.Equal("too_many_recipients", (string?)JsonNode.Parse(await many.Content.ReadAsStringAsync())!["code"]);

        var huge = await http.PostAsync("/api/users/bc-limits/broadcasts", new StringContent($$"""{"to":["+15550001111"],"body":"{{new string('x', 600_000)}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        var unknown = await http.GetAsync("/api/users/bc-limits/broadcasts/b0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["code"]);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/users/bc-limits/broadcasts/..%2F..%2Fetc")).StatusCode);

        // Another user's broadcast is not found for this one, and this one's token does not open the other's routes.
        var other = await _server.HttpFor("bc-other").PostAsJsonAsync("/api/users/bc-other/broadcasts", new { to = new[] { "+15550002222" }, body = "x" });
        var id = (string)JsonNode.Parse(await other.Content.ReadAsStringAsync())!["broadcastId"]!;
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/api/users/bc-other/broadcasts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/users/bc-limits/broadcasts/{id}")).StatusCode);
    }

    [Fact]
    public async Task Against_twilio_each_recipient_gets_exactly_one_sms()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var settings = twilio.ServerSettings();
        settings["Twilio:MessagesPerSecond"] = "50";
        await using var server = await RunningServer.StartAsync(settings);
        var to = Numbers("3000", 20);

        var response = await server.HttpFor("bc-twilio").PostAsJsonAsync("/api/users/bc-twilio/broadcasts", new { to, body = "twilio broadcast" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["broadcastId"]!;

        await Eventually.TrueAsync(async () =>
            (int)JsonNode.Parse(await server.HttpFor("bc-twilio").GetStringAsync($"/api/users/bc-twilio/broadcasts/{id}"))!["sent"]! == to.Length,
            TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => Task.FromResult(twilio.Requests.Count(r => r.Form.GetValueOrDefault("Body") == "twilio broadcast") >= to.Length), TimeSpan.FromSeconds(30));

        var texted = twilio.Requests.Where(r => r.Form.GetValueOrDefault("Body") == "twilio broadcast").Select(r => r.Form["To"]).ToList();
        Assert.Equal(to.Order(), texted.Order());
    }
}
