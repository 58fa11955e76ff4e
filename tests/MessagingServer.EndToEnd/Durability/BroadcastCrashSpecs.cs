using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport.Twilio;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// Issue 16: a broadcast through the fake Twilio at ten SMS a second, its server (a real process) stopped a third of the
/// way, by SIGKILL or SIGTERM, and started again on the same SQLite file. Nobody asks for the broadcast after the restart:
/// the node wakes it, it resumes where it was and finishes. Each recipient's send is its own outbound message under the
/// clientRef <c>bc:{id}:{index}</c>, so a recipient handed again after the restart is answered with its first send:
/// one outbound per recipient, and Twilio gets exactly one SMS per recipient. The one exception is the call the stop
/// caught between the session's "dispatch started" record and Twilio: it is looked up (reconciliation), never resent,
/// and ends <c>failed</c>/<c>not_sent</c>, Twilio having none. Sends leave in the order they were stored, one call at a
/// time at this pace (two if one call outlasts the pace interval), so only the first one or two not seen by Twilio at
/// the stop can be that call.
/// </summary>
public sealed class BroadcastCrashSpecs(ITestOutputHelper output)
{
    private const string User = "bc-crash-user";
    private const int Recipients = 30;
    private const int MaxCallsInFlight = 2;

    [Theory]
    [InlineData("kill")]
    [InlineData("term")]
    public async Task A_broadcast_stopped_mid_way_finishes_after_the_restart_and_texts_each_recipient_once(string stop)
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var folder = TestFolders.Create("broadcast-crash");
        var environment = twilio.ProcessEnvironment(folder);
        environment["Twilio__MessagesPerSecond"] = "10";
        // The call the stop may catch on the wire is looked up: a short window makes its verdict (not_sent) come soon.
        environment["Twilio__ReconcileWindow"] = "00:00:03";
        environment["Twilio__ReconcileFirstDelay"] = "00:00:00.200";
        environment["Twilio__ReconcileMaxDelay"] = "00:00:00.500";
        // The node wakes unfinished broadcasts a second after it starts; should that first wake come before the shard
        // region is up, the next comes this soon (not the default 30 s).
        environment["Broadcasts__ResumeInterval"] = "00:00:05";
        var body = $"polls open at 7 ({stop})";
        string[] to = [.. Enumerable.Range(0, Recipients).Select(i => $"+1555888{i:0000}")];
        try
        {
            string id;
            await using (var server = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60)))
            {
                id = await StartBroadcastAsync(server, to, body);
                await Eventually.TrueAsync(() => Seen(twilio, body).Count >= Recipients / 3, TimeSpan.FromSeconds(30));
                if (stop == "kill")
                {
                    server.KillHard();
                    await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
                }
                else
                {
                    await server.TerminateAsync();
                    Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                }
            }

            var seenAtStop = Seen(twilio, body).ToHashSet(StringComparer.Ordinal);
            output.WriteLine($"Twilio had {seenAtStop.Count} of {Recipients} at the {stop}");
            Assert.InRange(seenAtStop.Count, Recipients / 3, Recipients - 1);

            await using var restarted = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60));
            // Only Twilio is watched until every recipient is settled: no client starts anything on the restarted node.
            var seenNow = Seen(twilio, body).Count;
            await Eventually.TrueAsync(() => Seen(twilio, body).Count >= Recipients - MaxCallsInFlight, TimeSpan.FromSeconds(60),
                $"the broadcast did not resume by itself: Twilio had {seenNow} of {Recipients} after the restart");
            var events = await SettledAsync(restarted, twilio, id, body);

            var progress = JsonNode.Parse(await Http(restarted).GetStringAsync($"/api/users/{User}/broadcasts/{id}"))!;
            Assert.Equal((Recipients, Recipients, 0, 0, 0), ((int)progress["total"]!, (int)progress["sent"]!, (int)progress["failed"]!, (int)progress["skipped"]!, (int)progress["cancelled"]!));
            var last = events.Last(e => (string?)e["type"] == "broadcast" && (string?)e["id"] == id);
            Assert.Equal((Recipients, Recipients), ((int)last["total"]!, (int)last["sent"]!));

            // One outbound per recipient, each under its own clientRef.
            var outbound = Outbound(events, id);
            Assert.Equal(to.Order(StringComparer.Ordinal), outbound.Select(o => (string)o["to"]!).Order(StringComparer.Ordinal));
            Assert.Equal(Recipients, outbound.Select(o => (string?)o["clientRef"]).Distinct().Count());

            // Twilio got none twice; the only ones it never got are the call the stop caught, looked up and not sent.
            var seen = Seen(twilio, body);
            Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
            var failed = Failed(events);
            var missing = to.Except(seen, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
            var onTheWire = outbound.Select(o => (string)o["to"]!).Where(n => !seenAtStop.Contains(n)).Take(MaxCallsInFlight).ToHashSet(StringComparer.Ordinal);
            output.WriteLine($"never reached Twilio: {string.Join(", ", missing)}; failed: {string.Join(", ", failed.Values)}");
            Assert.Subset(onTheWire, missing);
            Assert.Equal(missing.Order(StringComparer.Ordinal), outbound.Where(o => failed.ContainsKey((string)o["id"]!)).Select(o => (string)o["to"]!).Order(StringComparer.Ordinal));
            Assert.All(failed.Values, code => Assert.Equal("not_sent", code));
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }

    private static HttpClient Http(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(User));
        return http;
    }

    private static async Task<string> StartBroadcastAsync(ServerProcess server, string[] to, string body)
    {
        using var http = Http(server);
        var response = await http.PostAsJsonAsync($"/api/users/{User}/broadcasts", new { to, body });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["broadcastId"]!;
    }

    /// <summary>
    /// The user's history once the broadcast has reported its end and every recipient's SMS reached Twilio or failed,
    /// watched on a socket (its replay, then live events) and in Twilio's requests.
    /// </summary>
    private static async Task<List<JsonObject>> SettledAsync(ServerProcess server, FakeTwilio twilio, string id, string body)
    {
        var frames = new ConcurrentQueue<JsonObject>();
        var socket = await SocketClient.ConnectAsync(
            server.WebSocketUri($"/message/{User}?since=0"), o => o.SetRequestHeader("Authorization", $"Bearer {TestTokens.For(User)}"));
        var reading = ReadAllAsync(socket, frames);
        try
        {
            await Eventually.TrueAsync(() => IsSettled([.. frames], Seen(twilio, body), id), TimeSpan.FromSeconds(30), "the broadcast's recipients did not all settle");
        }
        finally
        {
            await socket.DisposeAsync();
            await reading;
        }

        var events = await server.ReplayAsync(User);
        Assert.True(IsSettled(events, Seen(twilio, body), id));
        return events;
    }

    private static bool IsSettled(IReadOnlyList<JsonObject> events, IReadOnlyList<string> seen, string id)
    {
        var failed = Failed(events);
        var outbound = Outbound(events, id);
        return outbound.Count == Recipients
            && events.Any(e => (string?)e["type"] == "broadcast" && (string?)e["id"] == id && (int)e["sent"]! == Recipients)
            && outbound.All(o => seen.Contains((string)o["to"]!) || failed.ContainsKey((string)o["id"]!));
    }

    private static async Task ReadAllAsync(SocketClient socket, ConcurrentQueue<JsonObject> frames)
    {
        try
        {
            while (await socket.ReceiveTextAsync(TimeSpan.FromSeconds(60)) is { } text)
            {
                frames.Enqueue(JsonNode.Parse(text)!.AsObject());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The socket was closed under the read: the test has what it waited for.
        }
    }

    private static List<JsonObject> Outbound(IEnumerable<JsonObject> events, string id) =>
        [.. events.Where(e => (string?)e["type"] == "outbound" && ((string?)e["clientRef"])?.StartsWith($"bc:{id}:", StringComparison.Ordinal) == true)];

    /// <summary>Failed sends: message id to error code.</summary>
    private static Dictionary<string, string?> Failed(IEnumerable<JsonObject> events) => events
        .Where(e => (string?)e["type"] == "status" && (string?)e["status"] == "failed")
        .GroupBy(e => (string)e["id"]!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => (string?)g.Last()["error"]?["code"], StringComparer.Ordinal);

    /// <summary>The recipients of every request Twilio got with the broadcast's body, in arrival order (a recipient twice if sent twice).</summary>
    private static List<string> Seen(FakeTwilio twilio, string body) =>
        [.. twilio.Requests.Where(r => r.Form.GetValueOrDefault("Body") == body).Select(r => r.Form.GetValueOrDefault("To") ?? "")];
}
