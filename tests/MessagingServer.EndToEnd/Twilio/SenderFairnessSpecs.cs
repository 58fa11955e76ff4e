using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>
/// Issue 14 item 3 from outside the process: every user of one sender number shares its pace (1/s here), but a
/// burst from one user must not hold back another's send. The server queues round-robin per user within a
/// sender, so user B's one send reaches Twilio after at most a few of user A's burst of 29, not after all of them
/// (the single FIFO before the fix put it 29th, about half a minute late). Judged by the order Twilio received the
/// sends in, not by time.
/// </summary>
public sealed class SenderFairnessSpecs : IAsyncLifetime
{
    private const int Burst = 29;

    /// <summary>A's sends that may reach Twilio before B's: those out before B's send was queued, and one turn.</summary>
    private const int MostAhead = 10;

    private FakeTwilio _twilio = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilio.StartAsync();
        var settings = _twilio.ServerSettings();
        settings["Twilio:MessagesPerSecond"] = "1";
        settings["Limits:SendsPerSecond"] = "1000";
        settings["Limits:SendBurst"] = "1000";
        _server = await RunningServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task One_users_burst_does_not_hold_back_another_users_send_through_the_same_number()
    {
        await SendAndAwaitAcksAsync("fair-a", Burst);
        await SendAndAwaitAcksAsync("fair-b", 1);

        await Eventually.TrueAsync(() => Bodies().Contains("fair-b 0"), TimeSpan.FromSeconds(45), "user B's send never reached Twilio");

        var bodies = Bodies();
        var ahead = bodies.TakeWhile(b => b != "fair-b 0").Count(b => b.StartsWith("fair-a ", StringComparison.Ordinal));
        Assert.True(ahead <= MostAhead, $"{ahead} of user A's {Burst} sends reached Twilio before user B's one: {string.Join(", ", bodies)}");
    }

    private List<string> Bodies() => [.. _twilio.Requests.Select(r => r.Form.GetValueOrDefault("Body") ?? "")];

    private async Task SendAndAwaitAcksAsync(string user, int sends)
    {
        await using var socket = await SocketClient.ConnectAsync(
            _server.WebSocketUri($"/message/{user}?since=1000000000"), o => o.SetRequestHeader("Authorization", $"Bearer {TestTokens.For(user)}"));
        for (var i = 0; i < sends; i++)
        {
            await socket.SendTextAsync($$"""{"type":"send","to":"+155577702{{i:00}}","body":"{{user}} {{i}}","clientRef":"{{user}}-{{i}}"}""");
        }

        var acked = 0;
        while (acked < sends && await socket.ReceiveTextAsync(TimeSpan.FromSeconds(30)) is { } text)
        {
            acked += (string?)JsonNode.Parse(text)?["type"] == "outbound" ? 1 : 0;
        }

        Assert.Equal(sends, acked);
    }
}
