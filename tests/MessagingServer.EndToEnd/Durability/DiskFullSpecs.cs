using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// The server's SQLite file on a small tmpfs that the test fills (issue 14 item 12): while the disk is full,
/// readiness says storage is unhealthy and a send is answered <c>unavailable</c> with its clientRef (the socket
/// stays open); once space returns, readiness and sends come back by themselves, and every send acknowledged
/// before is still in the history.
/// </summary>
public sealed class DiskFullSpecs : IAsyncLifetime
{
    private const string User = "disk-full";
    private const string Client = "+15550007001";
    private readonly string _folder = Path.Combine(TestFolders.Root, "disk-full-" + Guid.NewGuid().ToString("N")[..8]);
    private SmallDisk? _disk;
    private string? _whyNot;
    private RunningServer? _server;

    public async Task InitializeAsync()
    {
        _disk = SmallDisk.TryMount(_folder, megabytes: 8, out _whyNot);
        if (_disk is not null)
        {
            _server = await RunningServer.StartAsync(new Dictionary<string, string?>
            {
                ["Persistence:SqlitePath"] = Path.Combine(_disk.Path, "messaging.db"),
                ["Persistence:HealthCheckInterval"] = "00:00:00",
            });
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _disk?.Dispose();
    }

    [SkippableFact]
    public async Task A_full_disk_fails_readiness_and_sends_until_space_returns_and_loses_nothing_acknowledged()
    {
        Skip.If(_disk is null, _whyNot);
        var server = _server!;
        await using var socket = await MessageClient.ConnectAsync(server, User);
        var before = await SendAsync(socket, "before-1");
        Assert.Equal("outbound", (string?)before["type"]);
        Assert.Equal(HttpStatusCode.OK, (await ReadinessAsync(server)).Status);

        _disk!.Fill();

        var refused = await SendAsync(socket, "during-1");
        Assert.Equal(("error", "unavailable"), ((string?)refused["type"], (string?)refused["code"]));
        var full = await ReadinessAsync(server);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (full.Status, full.Storage));
        Assert.DoesNotContain(_folder, full.Body, StringComparison.Ordinal);
        var pong = await PingAsync(socket);
        Assert.Equal("pong", (string?)pong["type"]);

        _disk.Free();

        await Eventually.TrueAsync(async () => (await ReadinessAsync(server)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "readiness did not come back");
        var attempt = 0;
        JsonObject? after = null;
        await Eventually.TrueAsync(async () =>
        {
            var answer = await SendAsync(socket, $"after-{++attempt}");
            after = (string?)answer["type"] == "outbound" ? answer : null;
            return after is not null;
        }, TimeSpan.FromSeconds(30), "sends were not stored again once space returned");

        var history = JsonNode.Parse(await server.HttpFor(User).GetStringAsync($"/api/users/{User}/messages?since=0"))!.AsArray();
        var refs = history.Where(e => (string?)e!["type"] == "outbound").Select(e => (string?)e!["clientRef"]).ToList();
        Assert.Contains("before-1", refs);
        Assert.Contains((string?)after!["clientRef"], refs);
        Assert.DoesNotContain("during-1", refs);
        Assert.Equal(history.Count, history.Select(e => (long)e!["seq"]!).Distinct().Count());
    }

    /// <summary>Sends one message and returns its answer: its outbound event or an error naming its clientRef.</summary>
    private static async Task<JsonObject> SendAsync(MessageClient socket, string clientRef)
    {
        await socket.SendAsync(Client, $"disk test {clientRef}", clientRef);
        while (true)
        {
            var frame = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));
            if ((string?)frame["type"] is "outbound" or "error" && (string?)frame["clientRef"] == clientRef)
            {
                return frame;
            }
        }
    }

    private static async Task<JsonObject> PingAsync(MessageClient socket)
    {
        await socket.SendJsonAsync(new { type = "ping" });
        return await socket.ExpectAsync("pong");
    }

    private static async Task<(HttpStatusCode Status, string? Storage, string Body)> ReadinessAsync(RunningServer server)
    {
        using var response = await server.Http.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        return (response.StatusCode, json.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString(), body);
    }
}
