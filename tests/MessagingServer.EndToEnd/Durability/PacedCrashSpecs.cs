using MessagingServer.TestSupport.Twilio;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// Issue 14 items 1 and 2 with the server as a real process and the fake Twilio: twenty sends paced at one a second,
/// a SIGKILL while most of them still wait for their turn, and a SIGTERM after all were accepted. A send whose call
/// never started goes out after the restart, with no client connected (Twilio sees every message exactly once); only a call that was on the
/// wire may end as "outcome unknown"; an accepted send stays accepted across a restart.
/// </summary>
public sealed class PacedCrashSpecs(ITestOutputHelper output)
{
    private const string User = "paced-user";
    private const int Sends = 20;

    [Fact]
    public async Task Sends_twilio_never_saw_go_out_after_a_kill_and_only_the_one_on_the_wire_may_be_unknown()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var (environment, folder) = Environment(twilio, perSecond: 1);
        try
        {
            await using (var server = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60)))
            {
                await SendAllAsync(server, "kill");

                // About 4.5 s in at one a second: the fifth call has reached Twilio, fifteen still wait their turn.
                await Eventually.TrueAsync(() => Seen(twilio, "kill").Count >= 5, TimeSpan.FromSeconds(30));
                server.KillHard();
                await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }

            var before = Seen(twilio, "kill").Count;
            output.WriteLine($"Twilio saw {before} of {Sends} before the kill");
            Assert.InRange(before, 5, 7);

            // The user does not come back: the wake index starts its session, which recovers and hands its unsent sends
            // to the sender again (sessions otherwise start on demand, and remembered entities are unusable here).
            await using var restarted = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(() => Seen(twilio, "kill").Distinct().Count() == Sends, TimeSpan.FromSeconds(60));
            var events = await restarted.ReplayAsync(User);

            Assert.Equal(Sends, Seen(twilio, "kill").Count);
            var failed = events.Where(e => (string?)e["type"] == "status" && (string?)e["status"] == "failed").ToList();
            Assert.True(failed.Count <= 1, $"{failed.Count} sends failed: {string.Join(", ", failed.Select(f => f.ToJsonString()))}");
            // The call on the wire is looked up at Twilio (reconciliation), never resent; it can only end "not sent".
            Assert.All(failed, f => Assert.Equal("not_sent", (string?)f["error"]!["code"]));
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }

    [Fact]
    public async Task Accepted_sends_stay_accepted_after_sigterm_and_restart()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var (environment, folder) = Environment(twilio, perSecond: 1000);
        try
        {
            await using (var server = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60)))
            {
                await SendAllAsync(server, "term");
                await Eventually.TrueAsync(() => Seen(twilio, "term").Count == Sends, TimeSpan.FromSeconds(30));

                // Every answer has reached its session (which counts it, then stores it in the same step): a graceful
                // stop waits for those writes.
                await Eventually.TrueAsync(async () => await SmsSentAsync(server) >= Sends, TimeSpan.FromSeconds(30));
                await server.TerminateAsync();
                Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            await using var restarted = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60));
            // A barrier: the recovered session asks its sender about every send it has no answer for before this new
            // one is queued behind them, so once Twilio has this one, any "unknown" verdict is already stored.
            await using (var socket = await SocketClient.ConnectAsync(
                restarted.WebSocketUri($"/message/{User}?since=1000000000"), o => o.SetRequestHeader("Authorization", $"Bearer {TestTokens.For(User)}")))
            {
                await socket.SendTextAsync("""{"type":"send","to":"+15557770099","body":"barrier","clientRef":"barrier"}""");
                await Eventually.TrueAsync(() => Task.FromResult(twilio.Requests.Any(r => r.Form.GetValueOrDefault("Body") == "barrier")), TimeSpan.FromSeconds(30));
            }

            var events = await restarted.ReplayAsync(User);

            Assert.Equal(Sends + 1, events.Count(e => (string?)e["type"] == "outbound"));
            Assert.DoesNotContain(events, e => (string?)e["type"] == "status" && (string?)e["status"] == "failed");
            Assert.Equal(Sends, Seen(twilio, "term").Count);
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }

    private static (Dictionary<string, string> Environment, string Folder) Environment(FakeTwilio twilio, int perSecond)
    {
        var folder = TestFolders.Create("paced-crash");
        var environment = twilio.ProcessEnvironment(folder);
        environment["Twilio__MessagesPerSecond"] = perSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (environment, folder);
    }

    private static List<string> Seen(FakeTwilio twilio, string run) =>
        twilio.Requests.Select(r => r.Form.GetValueOrDefault("Body") ?? "").Where(b => b.StartsWith($"{run} ", StringComparison.Ordinal)).ToList();

    /// <summary>Sends twenty messages at once and waits until every one is acknowledged (stored).</summary>
    private static async Task SendAllAsync(ServerProcess server, string run)
    {
        await using var socket = await SocketClient.ConnectAsync(
            server.WebSocketUri($"/message/{User}?since=1000000000"), o => o.SetRequestHeader("Authorization", $"Bearer {TestTokens.For(User)}"));
        for (var i = 0; i < Sends; i++)
        {
            await socket.SendTextAsync($$"""{"type":"send","to":"+155577700{{i:00}}","body":"{{run}} {{i}}","clientRef":"{{run}}-{{i}}"}""");
        }

        var acked = 0;
        while (acked < Sends && await socket.ReceiveTextAsync(TimeSpan.FromSeconds(30)) is { } text)
        {
            if ((string?)JsonNode.Parse(text)!["type"] == "outbound")
            {
                acked++;
            }
        }

        Assert.Equal(Sends, acked);
    }

    /// <summary>SMS the provider has accepted, as the server's own counter says.</summary>
    private static async Task<double> SmsSentAsync(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var scrape = await http.GetStringAsync("/metrics");
        var line = scrape.Split('\n').FirstOrDefault(l => l.StartsWith("messaging_sms_sent_total", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
