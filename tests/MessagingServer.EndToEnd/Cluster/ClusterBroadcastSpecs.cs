using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>Three nodes whose sender number sends 5 SMS a second, so a broadcast is still running when a node is killed.</summary>
public sealed class SlowClusterNodes : ClusterNodes
{
    protected override void Configure(IDictionary<string, string> environment)
    {
        environment["Twilio__MessagesPerSecond"] = "5";
        environment["Broadcasts__ResumeInterval"] = "00:00:05";
        // A call the kill caught on its way to Twilio is looked up; a short window makes its answer (not_sent) come soon.
        environment["Twilio__ReconcileWindow"] = "00:00:05";
        environment["Twilio__ReconcileFirstDelay"] = "00:00:00.200";
        environment["Twilio__ReconcileMaxDelay"] = "00:00:01";
    }
}

/// <summary>
/// A broadcast survives the loss of the node it ran on: kill -9 of that node mid-way, and the survivors (woken by the
/// broadcast index, which is itself an entity that moves) carry it on where it was, texting each recipient once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterBroadcastSpecs(SlowClusterNodes cluster, ITestOutputHelper output) : IClassFixture<SlowClusterNodes>
{
    private const int Recipients = 30;

    [Fact]
    public Task A_broadcast_whose_node_is_killed_mid_way_finishes_on_a_survivor_and_texts_each_recipient_once() => cluster.WithLogsOnFailureAsync(output, async () =>
    {
        var user = ClusterNodes.Users[30];
        var to = Enumerable.Range(0, Recipients).Select(i => string.Create(CultureInfo.InvariantCulture, $"+1555066{i:0000}")).ToList();
        var started = await cluster[0].HttpFor(user).PostAsJsonAsync($"/api/users/{user}/broadcasts", new { to, body = "node loss", clientRef = "cluster-bc" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["broadcastId"]!;

        await Eventually.TrueAsync(() => Sent().Count >= 6, TimeSpan.FromSeconds(60), "the broadcast did not start sending");
        // The node the broadcast runs on (its entity is in memory there); the index and the sender may be elsewhere.
        var alive = await Task.WhenAll(cluster.Nodes.Select(n => n.MetricOrZeroAsync("messaging_broadcasts_alive")));
        var host = cluster.Nodes[Array.FindIndex(alive, count => count > 0)];
        await host.KillHardAsync();
        var seenAtKill = Sent().ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"killed node {host.Name}, which ran broadcast {id}, when Twilio had {seenAtKill.Count} of {Recipients}");
        Assert.InRange(seenAtKill.Count, 6, Recipients - 5);

        await cluster.WaitForMembersAsync(2);
        var survivor = cluster.Running.First();
        JsonObject? progress = null;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await survivor.HttpFor(user).GetAsync($"/api/users/{user}/broadcasts/{id}");
            progress = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            return progress is not null && (int)progress["sent"]! + (int)progress["failed"]! + (int)progress["skipped"]! == Recipients;
        }, TimeSpan.FromSeconds(90), "the broadcast did not finish on a survivor");

        // Every recipient reaches Twilio, or (only a call the kill caught on its way there) is looked up and ends not_sent.
        var notSent = new List<string>();
        await Eventually.TrueAsync(async () =>
        {
            notSent = await NotSentAsync(survivor, user);
            return to.All(n => Sent().Contains(n) || notSent.Contains(n));
        }, TimeSpan.FromSeconds(90), "a recipient neither reached Twilio nor ended not_sent");

        var sent = Sent();
        output.WriteLine($"finished: {progress!.ToJsonString()}; Twilio received {sent.Count}, not sent: {notSent.Count}");
        Assert.Equal(sent.Count, sent.Distinct(StringComparer.Ordinal).Count()); // nobody texted twice
        Assert.True(notSent.Count <= 2, $"{notSent.Count} recipients ended not_sent: {string.Join(", ", notSent)}");
        Assert.Empty(notSent.Intersect(seenAtKill));
        Assert.Equal(Recipients, (int)progress["sent"]!); // every recipient's SMS was stored and handed on once
    });

    /// <summary>The recipients whose outbound message ended failed with not_sent, from the user's whole history.</summary>
    private static async Task<List<string>> NotSentAsync(ClusterNode node, string user)
    {
        using var response = await node.HttpFor(user).GetAsync($"/api/users/{user}/messages?since=0&limit=1000");
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        var events = (await response.Content.ReadFromJsonAsync<JsonArray>())!.OfType<JsonObject>().ToList();
        var failed = events.Where(e => (string?)e["type"] == "status" && (string?)e["error"]?["code"] == "not_sent").Select(e => (string?)e["id"]).ToHashSet();
        return [.. events.Where(e => (string?)e["type"] == "outbound" && failed.Contains((string?)e["id"])).Select(e => (string)e["to"]!)];
    }

    private List<string> Sent() =>
        [.. cluster.Twilio.Requests.Where(r => r.Form.GetValueOrDefault("Body") == "node loss").Select(r => r.Form.GetValueOrDefault("To") ?? "")];
}
