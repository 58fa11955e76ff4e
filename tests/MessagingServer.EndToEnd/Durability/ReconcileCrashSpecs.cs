using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// Issue 16: a kill -9 in the middle of a reconciliation. Twilio created the message but its answer was lost (a 5xx), and
/// its message list is down while the server looks it up; the server is killed. After the restart the session carries on
/// with the lookup from what it stored, finds the message, and never sends it again.
/// </summary>
public sealed class ReconcileCrashSpecs
{
    private const string User = "reconcile-user";

    [Fact]
    public async Task A_lookup_cut_short_by_kill_9_carries_on_after_the_restart_and_finds_the_message()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        twilio.ListUnavailable = true;
        twilio.Enqueue(FakeTwilioReply.CreatedButLost(FakeTwilioReply.ServerError()));
        var folder = TestFolders.Create("reconcile-crash");
        var environment = twilio.ProcessEnvironment(folder);
        environment["Twilio__MessagesPerSecond"] = "100";
        environment["Twilio__ReconcileWindow"] = "00:10:00";
        environment["Twilio__ReconcileFirstDelay"] = "00:00:00.200";
        environment["Twilio__ReconcileMaxDelay"] = "00:00:00.500";
        try
        {
            string id;
            await using (var server = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60)))
            {
                await using (var socket = await ConnectAsync(server))
                {
                    await socket.SendTextAsync("""{"type":"send","to":"+15557770101","body":"lost answer","clientRef":"lost"}""");
                    id = (string)(await NextAsync(socket, "outbound"))["id"]!;
                }

                // A lookup was asked (and refused): "being looked up" is stored, since lookups start only once it is.
                await Eventually.TrueAsync(() => twilio.ListQueries.Count > 0, TimeSpan.FromSeconds(30));
                server.KillHard();
                await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }

            twilio.ListUnavailable = false;
            await using var restarted = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60));
            await using var again = await ConnectAsync(restarted);
            var status = await NextAsync(again, "status");

            Assert.Equal((id, "queued"), ((string?)status["id"], (string?)status["status"]));
            Assert.Null(status["error"]);
            Assert.Single(twilio.Requests);
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }

    private static Task<SocketClient> ConnectAsync(ServerProcess server) => SocketClient.ConnectAsync(
        server.WebSocketUri($"/message/{User}?since=0"), o => o.SetRequestHeader("Authorization", $"Bearer {TestTokens.For(User)}"));

    private static async Task<JsonObject> NextAsync(SocketClient socket, string type)
    {
        while (await socket.ReceiveTextAsync(TimeSpan.FromSeconds(30)) is { } text)
        {
            var frame = JsonNode.Parse(text)!.AsObject();
            if ((string?)frame["type"] == type)
            {
                return frame;
            }
        }

        throw new InvalidOperationException($"the socket closed before a {type} frame");
    }
}
