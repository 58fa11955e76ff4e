using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sessions;
using MessagingServer.Sms;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// What a user must find after the server restarts or a session is passivated, on a real database.
/// Each storage runs the same specs (see the two classes below).
/// </summary>
public abstract class SessionDurabilitySpecs : IAsyncLifetime
{
    protected const string Number = "+15550008888";

    protected RunningServer Server { get; private set; } = null!;

    protected abstract Task<Dictionary<string, string?>> StorageSettingsAsync();

    protected virtual Task CleanUpStorageAsync() => Task.CompletedTask;

    private Dictionary<string, string?> _settings = null!;

    public async Task InitializeAsync()
    {
        _settings = await StorageSettingsAsync();
        _settings[$"Routing:Numbers:{Number}"] = "owner";
        _settings["Messaging:SessionIdleTimeout"] = "00:00:00.500";
        _settings["Limits:SendsPerSecond"] = "1000";
        _settings["Limits:SendBurst"] = "1000";
        _settings["Persistence:SnapshotEvery"] = "20";
        Server = await RunningServer.StartAsync(_settings);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await CleanUpStorageAsync();
    }

    protected async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await RunningServer.StartAsync(_settings);
    }

    private Task<IngressResult> InboundAsync(string body, string sid) =>
        Server.Services.GetRequiredService<ISmsIngress>().ReceiveAsync(new InboundSms("+15550001212", Number, body, [], sid), CancellationToken.None);

    [Fact]
    public async Task An_offline_user_gets_every_message_in_order_once_after_a_restart_and_acks_stick()
    {
        for (var i = 1; i <= 50; i++)
        {
            Assert.Equal(IngressResult.Stored, await InboundAsync($"offline {i}", $"SMoffline{i}"));
        }

        await RestartAsync();

        await using (var phone = await MessageClient.ConnectAsync(Server, "owner"))
        {
            Assert.Equal(50, (long)phone.Welcome["lastSeq"]!);
            var replay = await phone.ReceiveManyAsync(50);
            Assert.Equal(Enumerable.Range(1, 50).Select(i => $"offline {i}"), replay.Select(f => (string?)f["body"]));
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), replay.Select(f => (long)f["seq"]!));
            await phone.ExpectNothingPendingAsync();
            await phone.SendJsonAsync(new { type = "ack", seq = 30 });
            await phone.ExpectNothingPendingAsync();
        }

        await RestartAsync();

        // The cursor survived: a device without ?since resumes after 30; another one asks from 45.
        await using var laptop = await MessageClient.ConnectAsync(Server, "owner");
        await using var tablet = await MessageClient.ConnectAsync(Server, "owner", "?since=45");
        Assert.Equal(31, (long)laptop.Welcome["resumeFrom"]!);
        Assert.Equal(Enumerable.Range(31, 20).Select(i => (long)i), (await laptop.ReceiveManyAsync(20)).Select(f => (long)f["seq"]!));
        Assert.Equal(Enumerable.Range(46, 5).Select(i => (long)i), (await tablet.ReceiveManyAsync(5)).Select(f => (long)f["seq"]!));
        await laptop.ExpectNothingPendingAsync();
        await tablet.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Client_refs_and_message_sids_stay_deduplicated_across_a_restart()
    {
        var first = await Server.HttpFor("dedup").PostAsJsonAsync("/api/users/dedup/messages", new { to = "+15550003434", body = "once", clientRef = "r-1" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var sent = await first.Content.ReadFromJsonAsync<UserIdSeq>();
        Assert.Equal(IngressResult.Stored, await InboundAsync("hello once", "SMdedup1"));

        await RestartAsync();

        var again = await Server.HttpFor("dedup").PostAsJsonAsync("/api/users/dedup/messages", new { to = "+15550003434", body = "once", clientRef = "r-1" });
        Assert.Equal(sent, await again.Content.ReadFromJsonAsync<UserIdSeq>());
        Assert.Equal(IngressResult.Stored, await InboundAsync("hello once", "SMdedup1"));
        await using var owner = await MessageClient.ConnectAsync(Server, "owner", "?since=0");
        Assert.Equal("hello once", (string?)(await owner.ReceiveAsync())["body"]);
        await owner.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task After_a_restart_a_reply_reaches_the_user_who_last_wrote_to_that_client_whichever_session_loads_first()
    {
        const string shared = "+15550004545";
        const string bobsOnly = "+15550005757";
        await SendAsync("bob", shared, "bob first");
        await SendAsync("alice", shared, "alice later");
        await SendAsync("bob", bobsOnly, "bob alone");
        // Many clients: each is its own entity, none loaded at start; the reply loads its own.
        for (var i = 0; i < 25; i++)
        {
            await SendAsync("carol", $"+1555001{i:D4}", $"carol {i}");
        }

        await RestartAsync();

        // Bob's session loads first and replays his (older) send to the shared client; alice's stays unloaded.
        Assert.Contains(await HistoryBodiesAsync("bob"), body => body == "bob first");
        Assert.Equal(IngressResult.Stored, await ReplyAsync(shared, "for alice", "SMroute1"));
        Assert.Equal(IngressResult.Stored, await ReplyAsync(bobsOnly, "for bob", "SMroute2"));
        Assert.Equal(IngressResult.Stored, await ReplyAsync("+15550010000", "for carol", "SMroute3"));

        Assert.Contains("for alice", await HistoryBodiesAsync("alice"));
        Assert.Contains("for bob", await HistoryBodiesAsync("bob"));
        Assert.DoesNotContain("for alice", await HistoryBodiesAsync("bob"));
        Assert.DoesNotContain("for bob", await HistoryBodiesAsync("alice"));
        Assert.Contains("for carol", await HistoryBodiesAsync("carol"));
    }

    [Fact]
    public async Task A_stop_received_by_one_user_blocks_another_sending_from_the_same_number_across_a_restart_until_start()
    {
        const string client = "+15550006767";
        // Neither desk owns a number: both send from the default one, where the client's STOP arrives.
        await SendAsync("desk-a", client, "our offer");
        Assert.Equal(IngressResult.Stored, await ReplyAsync(client, "STOP", "SMstop1"));
        Assert.Contains("STOP", await HistoryBodiesAsync("desk-a"));

        var refused = await Server.HttpFor("desk-b").PostAsJsonAsync($"/api/users/desk-b/messages", new { to = client, body = "from b" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("opted_out", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await RestartAsync();

        var stillRefused = await Server.HttpFor("desk-a").PostAsJsonAsync($"/api/users/desk-a/messages", new { to = client, body = "from a" });
        Assert.Equal(HttpStatusCode.Conflict, stillRefused.StatusCode);
        Assert.Equal(IngressResult.Stored, await ReplyAsync(client, "start", "SMstart1"));
        // The STOP came to desk-a (the last writer); so does the START: b's refused send claimed nothing.
        Assert.Contains("start", await HistoryBodiesAsync("desk-a"));
        await SendAsync("desk-b", client, "welcome back");
        Assert.DoesNotContain("from b", await HistoryBodiesAsync("desk-b"));
    }

    private async Task SendAsync(string user, string to, string body)
    {
        var response = await Server.HttpFor(user).PostAsJsonAsync($"/api/users/{user}/messages", new { to, body });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    // To the server's default number, which no user owns: the reply goes by who last wrote to the client.
    private Task<IngressResult> ReplyAsync(string from, string body, string sid) =>
        Server.Services.GetRequiredService<ISmsIngress>().ReceiveAsync(new InboundSms(from, "+15550000000", body, [], sid), CancellationToken.None);

    private async Task<List<string?>> HistoryBodiesAsync(string user)
    {
        var events = await Server.HttpFor(user).GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/users/{user}/messages?since=0");
        return events!.Select(e => (string?)e!["body"]).Where(b => b is not null).ToList();
    }

    [Fact]
    public async Task A_passivated_session_comes_back_with_its_history_and_cursor()
    {
        await using (var user = await MessageClient.ConnectAsync(Server, "sleeper"))
        {
            await user.SendAsync("+15550005656", "before the nap");
            await user.ExpectAsync("status", f => (string?)f["status"] == "delivered");
            await user.SendJsonAsync(new { type = "ack", seq = 2 });
            await user.ExpectNothingPendingAsync();
        }

        var registry = await Server.Services.GetRequiredService<Akka.Hosting.IRequiredActor<ChatSessionRegistry>>().GetAsync();
        await Eventually.TrueAsync(async () =>
            await ChatSessionRegistry.CountHostedAsync(registry, TimeSpan.FromSeconds(5)) == 0,
            because: "idle sessions should passivate");

        await using var back = await MessageClient.ConnectAsync(Server, "sleeper");
        Assert.Equal(3, (long)back.Welcome["lastSeq"]!);
        Assert.Equal(3, (long)back.Welcome["resumeFrom"]!);
        Assert.Equal("delivered", (string?)(await back.ReceiveAsync())["status"]);
        await back.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task A_history_longer_than_the_snapshot_interval_recovers_from_snapshot_plus_later_events()
    {
        await using (var owner = await MessageClient.ConnectAsync(Server, "owner"))
        {
            await owner.SendAsync("+15550001212", "first, from the user", clientRef: "long-1");
            await owner.ExpectAsync("status", f => (string?)f["status"] == "delivered");
        }

        for (var i = 1; i <= 52; i++)
        {
            Assert.Equal(IngressResult.Stored, await InboundAsync($"long {i}", $"SMlong{i}"));
        }

        await RestartAsync();

        await using var again = await MessageClient.ConnectAsync(Server, "owner", "?since=0");
        Assert.Equal(55, (long)again.Welcome["lastSeq"]!);
        var all = await again.ReceiveManyAsync(55);
        Assert.Equal(Enumerable.Range(1, 55).Select(i => (long)i), all.Select(f => (long)f["seq"]!));
        Assert.Equal(Enumerable.Range(1, 52).Select(i => $"long {i}"), all.Skip(3).Select(f => (string?)f["body"]));
        await again.ExpectNothingPendingAsync();
        // State kept in the snapshot: the clientRef still dedups, the SIDs still dedup.
        await again.SendAsync("+15550001212", "first, from the user", clientRef: "long-1");
        Assert.Equal(1, (long)(await again.ReceiveAsync())["seq"]!);
        Assert.Equal(IngressResult.Stored, await InboundAsync("long 1", "SMlong1"));
        await again.ExpectNothingPendingAsync();
    }

    private sealed record UserIdSeq(string Id, long Seq);
}

public sealed class SqliteSessionDurabilitySpecs : SessionDurabilitySpecs
{
    private string _folder = null!;

    protected override Task<Dictionary<string, string?>> StorageSettingsAsync()
    {
        _folder = TestFolders.Create("durability");
        return Task.FromResult(new Dictionary<string, string?> { ["Persistence:SqlitePath"] = Path.Combine(_folder, "messaging.db") });
    }

    protected override Task CleanUpStorageAsync()
    {
        TestFolders.Delete(_folder);
        return Task.CompletedTask;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionDurabilitySpecs(PostgresServer postgres) : SessionDurabilitySpecs
{
    protected override async Task<Dictionary<string, string?>> StorageSettingsAsync()
    {
        if (!postgres.IsRunning)
        {
            await postgres.StartAsync();
        }

        return new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["ConnectionStrings:Messaging"] = await postgres.CreateDatabaseAsync("durability"),
        };
    }

    [Fact]
    public async Task While_the_database_is_down_sends_and_webhooks_are_refused_and_nothing_is_lost()
    {
        await using (var before = await MessageClient.ConnectAsync(Server, "outage"))
        {
            await before.SendAsync("+15550007878", "stored before");
            await before.ExpectAsync("outbound");
        }

        await postgres.StopAsync();
        try
        {
            var rest = await Server.HttpFor("outage").PostAsJsonAsync("/api/users/outage/messages", new { to = "+15550007878", body = "during" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, rest.StatusCode);
            var ingress = Server.Services.GetRequiredService<ISmsIngress>();
            Assert.Equal(IngressResult.Unavailable, await ingress.ReceiveAsync(new InboundSms("+15550001313", Number, "during", [], "SMoutage1"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Server.Http.GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            await postgres.StartAsync();
        }

        // Back up: the session recovers by itself; what was stored before is there, the refused send is not.
        await Eventually.TrueAsync(
            async () => (await Server.HttpFor("outage").PostAsJsonAsync("/api/users/outage/messages", new { to = "+15550007878", body = "after" })).StatusCode == HttpStatusCode.Accepted,
            TimeSpan.FromSeconds(60));
        var history = await Server.HttpFor("outage").GetFromJsonAsync<List<Dictionary<string, object>>>("/api/users/outage/messages?limit=1000");
        var bodies = history!.Where(e => e["type"].ToString() == "outbound").Select(e => e["body"].ToString()).ToList();
        Assert.Equal("stored before", bodies[0]);
        Assert.DoesNotContain("during", bodies);
        Assert.Contains("after", bodies);
    }
}

/// <summary>A device further behind than a session keeps in memory gets the older events from the journal.</summary>
public sealed class DeepResumeSpecs : IAsyncLifetime
{
    private const string Number = "+15550009191";
    private string _folder = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _folder = TestFolders.Create("deep");
        _server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Persistence:SqlitePath"] = Path.Combine(_folder, "messaging.db"),
            ["Persistence:SnapshotEvery"] = "15",
            ["Messaging:CachedEvents"] = "10",
            [$"Routing:Numbers:{Number}"] = "deep",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TestFolders.Delete(_folder);
    }

    [Fact]
    public async Task Resuming_from_far_back_replays_journal_then_memory_then_live_without_gap_or_duplicate()
    {
        var ingress = _server.Services.GetRequiredService<ISmsIngress>();
        for (var i = 1; i <= 40; i++)
        {
            Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(new InboundSms("+15550001111", Number, $"deep {i}", [], $"SMdeep{i}"), CancellationToken.None));
        }

        await using var device = await MessageClient.ConnectAsync(_server, "deep", "?since=3");
        var replay = await device.ReceiveManyAsync(37);
        Assert.Equal(Enumerable.Range(4, 37).Select(i => $"deep {i}"), replay.Select(f => (string?)f["body"]));

        Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(new InboundSms("+15550001111", Number, "live", [], "SMdeeplive"), CancellationToken.None));
        var live = await device.ReceiveAsync();
        Assert.Equal(("live", 41L), ((string?)live["body"], (long)live["seq"]!));
        await device.ExpectNothingPendingAsync();
    }
}

/// <summary>A device further behind than memory, when the journal cannot be read: told so with 1011, never left waiting.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeepResumeOutageSpecs(PostgresServer postgres) : IAsyncLifetime
{
    private const string Number = "+15550009292";
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        if (!postgres.IsRunning)
        {
            await postgres.StartAsync();
        }

        _server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["ConnectionStrings:Messaging"] = await postgres.CreateDatabaseAsync("deepoutage"),
            ["Messaging:CachedEvents"] = "10",
            [$"Routing:Numbers:{Number}"] = "deep-outage",
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Resuming_from_before_memory_while_the_database_is_down_closes_with_1011()
    {
        var ingress = _server.Services.GetRequiredService<ISmsIngress>();
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(new InboundSms("+15550001111", Number, $"older {i}", [], $"SMolder{i}"), CancellationToken.None));
        }

        // The session stays loaded (this socket keeps it), so only the journal read of the older events fails.
        await using var keeper = await MessageClient.ConnectAsync(_server, "deep-outage");
        await postgres.StopAsync();
        try
        {
            await using var behind = await MessageClient.ConnectAsync(_server, "deep-outage", "?since=2");
            Assert.Equal(WebSocketCloseStatus.InternalServerError, await behind.Socket.ReceiveCloseAsync(TimeSpan.FromSeconds(30)));
            // The same for a history page older than memory: refused, not cut short to what memory holds.
            var page = await _server.HttpFor("deep-outage").GetAsync("/api/users/deep-outage/messages?since=2");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        }
        finally
        {
            await postgres.StartAsync();
        }
    }
}
