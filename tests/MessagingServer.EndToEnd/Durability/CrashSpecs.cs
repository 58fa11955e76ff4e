using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// The server as a real process on a real SQLite file, killed with SIGKILL at random moments while a user
/// sends and Twilio posts signed inbound SMS. Whatever the server acknowledged (an <c>outbound</c> frame
/// for a send, a 200 for a webhook) must be there after the restart, delivered once, in one gapless
/// sequence, and no SMS may have gone to Twilio twice.
/// </summary>
public sealed class CrashSpecs(ITestOutputHelper output)
{
    private const string User = "crash-user";
    private const string OurNumber = "+15550000001";

    [Fact]
    public async Task Nothing_acknowledged_is_lost_or_duplicated_across_hard_kills()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var folder = TestFolders.Create("crash");
        var port = FreePort.Next();
        var environment = twilio.ProcessEnvironment(folder, webhookBaseUrl: $"http://127.0.0.1:{port}");
        environment[$"Routing__Numbers__{OurNumber}"] = User;
        environment["Twilio__MessagesPerSecond"] = "1000";
        var token = TestTokens.For(User);
        var ackedSends = new ConcurrentDictionary<string, string>();
        var ackedInbound = new ConcurrentBag<string>();
        var random = new Random(20261123);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);

        try
        {
            for (var round = 0; round < 4 && DateTime.UtcNow < deadline; round++)
            {
                await using var server = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60), port);
                using var stop = new CancellationTokenSource();
                var sending = SendUntilKilledAsync(server, token, round, ackedSends, stop.Token);
                var posting = PostUntilKilledAsync(twilio, new Uri(server.BaseAddress, "/twilio/sms"), round, ackedInbound, stop.Token);

                // Once traffic flows (something acknowledged this round), let it run a random moment, then pull the plug.
                var before = ackedSends.Count + ackedInbound.Count;
                await Eventually.TrueAsync(() => ackedSends.Count + ackedInbound.Count > before || sending.IsCompleted, TimeSpan.FromSeconds(30));
                await Task.WhenAny(Task.Delay(random.Next(50, 800)), Task.WhenAll(sending, posting));
                server.KillHard();
                await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
                stop.Cancel();
                await Task.WhenAll(sending, posting);
            }

            await using var final = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60), port);
            var events = await final.ReplayAsync(User);

            output.WriteLine($"{ackedSends.Count} sends and {ackedInbound.Count} inbound SMS acknowledged; {events.Count} events after the last restart");
            Assert.NotEmpty(ackedSends);
            Assert.NotEmpty(ackedInbound);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => (long)e["seq"]!));
            Assert.Equal(events.Count, events.Select(e => (string?)e["id"] + (string?)e["type"] + (string?)e["status"]).Distinct().Count());

            var outbound = events.Where(e => (string?)e["type"] == "outbound").ToList();
            foreach (var (clientRef, id) in ackedSends)
            {
                Assert.Single(outbound, e => (string?)e["clientRef"] == clientRef && (string?)e["id"] == id);
            }

            var inbound = events.Where(e => (string?)e["type"] == "message").Select(e => (string?)e["body"]).ToList();
            foreach (var body in ackedInbound)
            {
                Assert.Single(inbound, b => b == body);
            }

            Assert.Equal(inbound.Count, inbound.Distinct().Count());
            Assert.Equal(outbound.Count, outbound.Select(e => (string?)e["clientRef"]).Distinct().Count());

            // At most one SMS per message: Twilio never saw the same message id twice.
            var perMessage = twilio.Requests
                .Select(r => r.Form.TryGetValue("StatusCallback", out var callback) ? callback : "")
                .Where(c => c.Length > 0)
                .GroupBy(c => c);
            Assert.All(perMessage, g => Assert.True(g.Count() == 1, $"{g.Key} sent {g.Count()} times"));
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }

    private static async Task SendUntilKilledAsync(ServerProcess server, string token, int round, ConcurrentDictionary<string, string> acked, CancellationToken stop)
    {
        try
        {
            await using var socket = await SocketClient.ConnectAsync(server.WebSocketUri($"/message/{User}?since=1000000000"), o => o.SetRequestHeader("Authorization", $"Bearer {token}"));
            var reader = Task.Run(async () =>
            {
                while (await socket.ReceiveTextAsync(TimeSpan.FromSeconds(30)) is { } text)
                {
                    var frame = JsonNode.Parse(text)!;
                    if ((string?)frame["type"] == "outbound" && (string?)frame["clientRef"] is { } clientRef)
                    {
                        acked[clientRef] = (string)frame["id"]!;
                    }
                }
            });
            for (var i = 0; !stop.IsCancellationRequested && i < 2000 && !reader.IsCompleted; i++)
            {
                await socket.SendTextAsync($$"""{"type":"send","to":"+1555777{{round}}{{i % 1000:000}}","body":"round {{round}} send {{i}}","clientRef":"r{{round}}-{{i}}"}""");
                if (i % 20 == 19)
                {
                    await Task.Delay(10, stop);
                }
            }

            await reader;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException or System.Text.Json.JsonException)
        {
            // The server was killed under us: what it acknowledged before that is recorded.
            Console.WriteLine($"[crash] send loop ended: {e.GetType().Name}: {e.Message}");
        }
    }

    private static async Task PostUntilKilledAsync(FakeTwilio twilio, Uri smsUrl, int round, ConcurrentBag<string> acked, CancellationToken stop)
    {
        try
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 2000; i++)
            {
                var body = $"round {round} inbound {i}";
                using var response = await twilio.PostInboundSmsAsync(smsUrl, "+15550002323", OurNumber, body, messageSid: $"SMcrash{round}x{i}", cancellationToken: stop);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acked.Add(body);
                }
                else if (i == 0)
                {
                    Console.WriteLine($"[crash] webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(stop)}");
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // The server was killed under us.
            Console.WriteLine($"[crash] webhook loop ended: {e.GetType().Name}: {e.Message}");
        }
    }
}
