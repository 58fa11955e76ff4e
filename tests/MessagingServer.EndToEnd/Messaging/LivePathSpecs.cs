using System.Net.WebSockets;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sessions;
using MessagingServer.WebSockets;

namespace MessagingServer.EndToEnd.Messaging;

public sealed class LivePathSpecs : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        ["Sms:Loopback:AutoReply"] = "true",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_send_is_answered_with_outbound_then_sent_then_delivered()
    {
        await using var alice = await MessageClient.ConnectAsync(_server, "alice-send");
        Assert.Equal(0, (long)alice.Welcome["lastSeq"]!);

        await alice.SendAsync("+15550001111", "Hello there", clientRef: "c-1");

        var outbound = await alice.ExpectAsync("outbound");
        Assert.Equal("+15550001111", (string?)outbound["to"]);
        Assert.Equal("Hello there", (string?)outbound["body"]);
        Assert.Equal("c-1", (string?)outbound["clientRef"]);
        Assert.Equal("queued", (string?)outbound["status"]);
        Assert.Equal("GSM-7", (string?)outbound["encoding"]);
        Assert.Equal(1, (int)outbound["segments"]!);
        var id = (string?)outbound["id"];
        var seq = (long)outbound["seq"]!;

        var sent = await alice.ExpectAsync("status");
        Assert.Equal(id, (string?)sent["id"]);
        Assert.Equal("sent", (string?)sent["status"]);
        Assert.Equal(seq + 1, (long)sent["seq"]!);
        var delivered = await alice.ExpectAsync("status");
        Assert.Equal("delivered", (string?)delivered["status"]);
        Assert.Equal(seq + 2, (long)delivered["seq"]!);
    }

    [Fact]
    public async Task The_loopback_auto_reply_arrives_as_a_message_from_the_recipient()
    {
        await using var alice = await MessageClient.ConnectAsync(_server, "alice-reply");

        await alice.SendAsync("+15550002222", "Are you there?");

        var reply = await alice.ExpectAsync("message");
        Assert.Equal("+15550002222", (string?)reply["from"]);
        Assert.Equal("Auto-reply: Are you there?", (string?)reply["body"]);
        Assert.Empty(reply["media"]!.AsArray());
    }

    [Fact]
    public async Task Every_socket_of_a_user_sees_every_event_and_other_users_see_none()
    {
        await using var phone = await MessageClient.ConnectAsync(_server, "bob-two");
        await using var laptop = await MessageClient.ConnectAsync(_server, "bob-two");
        await using var carol = await MessageClient.ConnectAsync(_server, "carol-other");

        await phone.SendAsync("+15550003333", "from the phone");

        // outbound, sent, delivered, auto-reply: the same four events, in the same order, on both sockets.
        var onPhone = await phone.ReceiveManyAsync(4);
        var onLaptop = await laptop.ReceiveManyAsync(4);
        Assert.Equal(onPhone.Select(f => f.ToJsonString()), onLaptop.Select(f => f.ToJsonString()));
        Assert.Equal(["outbound", "status", "status", "message"], onPhone.Select(f => (string?)f["type"]));
        await carol.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task A_repeated_client_ref_answers_with_the_first_outbound_and_sends_nothing_twice()
    {
        await using var alice = await MessageClient.ConnectAsync(_server, "alice-dup");
        await alice.SendAsync("+15550004444", "once", clientRef: "same");
        var first = await alice.ExpectAsync("outbound");
        await alice.ReceiveManyAsync(3); // sent, delivered, auto-reply

        await alice.SendAsync("+15550004444", "once", clientRef: "same");

        var again = await alice.ReceiveAsync();
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        await alice.ExpectNothingPendingAsync();
        var info = await SessionInfoAsync("alice-dup");
        Assert.Equal(4, info.LastSeq);
    }

    [Theory]
    [InlineData("{not json", "invalid_json")]
    [InlineData("[1,2]", "invalid_json")]
    [InlineData("{\"type\":\"send\"}{}", "invalid_json")]
    [InlineData("{\"type\":\"dance\"}", "unknown_type")]
    [InlineData("{\"to\":\"+15550001111\"}", "missing_field")]
    [InlineData("{\"type\":\"send\",\"body\":\"hi\"}", "missing_field")]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\"}", "missing_field")]
    [InlineData("{\"type\":\"send\",\"to\":\"5550001111\",\"body\":\"hi\"}", "invalid_to")]
    [InlineData("{\"type\":\"send\",\"to\":\"+1555\",\"body\":\"hi\"}", "invalid_to")]
    [InlineData("{\"type\":\"send\",\"to\":\"+1555000111122223333\",\"body\":\"hi\"}", "invalid_to")]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":\"  \"}", "empty_body")]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":42}", "invalid_field")]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"to\":\"+15550002222\",\"body\":\"hi\"}", "duplicate_field")]
    [InlineData("{\"type\":\"ack\"}", "missing_field")]
    [InlineData("{\"type\":\"ack\",\"seq\":999}", "invalid_cursor")]
    public async Task Bad_input_gets_an_error_frame_and_the_socket_stays_open(string frame, string code)
    {
        await using var alice = await MessageClient.ConnectAsync(_server, "alice-bad");

        await alice.Socket.SendTextAsync(frame);

        var error = await alice.ReceiveAsync();
        Assert.Equal("error", (string?)error["type"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task A_body_over_1600_characters_is_refused_with_its_client_ref()
    {
        await using var alice = await MessageClient.ConnectAsync(_server, "alice-long");

        await alice.SendAsync("+15550001111", new string('a', 1601), clientRef: "too-long");

        var error = await alice.ReceiveAsync();
        Assert.Equal("body_too_long", (string?)error["code"]);
        Assert.Equal("too-long", (string?)error["clientRef"]);
        await alice.ExpectNothingPendingAsync();
        Assert.Equal(0, (await SessionInfoAsync("alice-long")).LastSeq);
    }

    [Fact]
    public async Task A_binary_frame_gets_an_error_and_the_socket_stays_open()
    {
        await using var alice = await MessageClient.ConnectAsync(_server, "alice-binary");
        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);

        await alice.Socket.Socket.SendAsync(new byte[] { 0x7b, 0x7d }, WebSocketMessageType.Binary, true, timeout.Token);

        Assert.Equal("binary_not_supported", (string?)(await alice.ReceiveAsync())["code"]);
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task A_frame_over_the_size_limit_closes_the_socket_with_1009()
    {
        await using var alice = await MessageClient.ConnectAsync(_server, "alice-huge");

        await alice.Socket.SendTextAsync("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":\"" + new string('x', 70_000) + "\"}");

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await alice.Socket.ReceiveCloseAsync());
    }

    [Theory]
    [InlineData("?since=-1")]
    [InlineData("?since=abc")]
    [InlineData("?since=99999999999999999999999")]
    public async Task A_bad_cursor_is_refused_before_the_upgrade(string query)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {_server.TokenFor("alice")}");
        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.WebSocketUri($"/message/alice{query}"), timeout.Token));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, socket.HttpStatusCode);
        var response = await _server.HttpFor("alice").GetAsync($"/message/alice{query}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_cursor", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_id_that_no_token_can_name_is_refused_before_the_upgrade()
    {
        var response = await _server.HttpFor("alice").GetAsync("/message/bad%20user");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_flood_of_sends_is_rate_limited_for_that_user_only()
    {
        await using var flooder = await MessageClient.ConnectAsync(_server, "flooder");
        await using var calm = await MessageClient.ConnectAsync(_server, "calm");

        for (var i = 0; i < 60; i++)
        {
            await flooder.SendAsync("+15550001111", $"flood {i}", clientRef: $"f{i}");
        }

        await flooder.ExpectAsync("error", f => (string?)f["code"] == "rate_limited");
        await calm.SendAsync("+15550001111", "just one");
        var outbound = await calm.ExpectAsync("outbound");
        Assert.Equal("just one", (string?)outbound["body"]);
    }

    [Fact]
    public async Task Closing_sockets_leaves_no_bridge_socket_or_subscriber_behind()
    {
        var counters = _server.Services.GetRequiredService<BridgeCounters>();
        var connections = _server.Services.GetRequiredService<WebSocketConnections>();
        var clients = new List<MessageClient>();
        for (var i = 0; i < 5; i++)
        {
            clients.Add(await MessageClient.ConnectAsync(_server, "leak-check"));
        }

        Assert.Equal(5, (await SessionInfoAsync("leak-check")).Subscribers);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await Eventually.TrueAsync(async () =>
            counters.Active == 0 && connections.CountOf("message") == 0 && (await SessionInfoAsync("leak-check")).Subscribers == 0);
    }

    [Fact]
    public async Task A_stopped_session_keeps_its_sockets_open_and_they_go_on_without_a_gap_or_a_duplicate()
    {
        var counters = _server.Services.GetRequiredService<BridgeCounters>();
        await using var alice = await MessageClient.ConnectAsync(_server, "alice-stop");
        await using var laptop = await MessageClient.ConnectAsync(_server, "alice-stop");
        await alice.SendAsync("+15550001111", "before the stop");
        foreach (var socket in new[] { alice, laptop })
        {
            // outbound, sent, delivered, and the loopback's auto-reply.
            Assert.Equal([1L, 2L, 3L, 4L], (await socket.ReceiveManyAsync(4)).Select(f => (long)f["seq"]!));
        }


        var system = _server.Services.GetRequiredService<Akka.Actor.ActorSystem>();
        var session = await system.ActorSelection("/system/sharding/sessions/*/alice-stop/session").ResolveOne(TimeSpan.FromSeconds(5));
        var watcher = Akka.Actor.Inbox.Create(system);
        watcher.Watch(session);
        session.Tell(Akka.Actor.PoisonPill.Instance, Akka.Actor.ActorRefs.NoSender);
        Assert.IsType<Akka.Actor.Terminated>(await watcher.ReceiveAsync(TimeSpan.FromSeconds(10)));

        // A new incarnation starts after a short back-off (meanwhile the session answers "unavailable").
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await SessionInfoAsync("alice-stop");
                return true;
            }
            catch (SessionUnavailableException)
            {
                return false;
            }
        });
        await alice.SendAsync("+15550001111", "after the stop");
        var answer = await alice.ReceiveAsync();

        // The hub subscribed again, and both sockets see the next events, once, in order.
        Assert.True((string?)answer["type"] == "outbound", answer.ToJsonString());
        Assert.Equal(5, (long)answer["seq"]!);
        Assert.Equal([6L, 7L, 8L], (await alice.ReceiveManyAsync(3)).Select(f => (long)f["seq"]!));
        await alice.ExpectNothingPendingAsync();
        var seen = await laptop.ReceiveManyAsync(4);
        Assert.Equal([5L, 6L, 7L, 8L], seen.Select(f => (long)f["seq"]!));
        Assert.Equal("after the stop", (string?)seen[0]["body"]);
        await laptop.ExpectNothingPendingAsync();

        Assert.Equal(2, counters.Active);
    }

    [Fact]
    public async Task An_aborted_client_socket_ends_its_bridge_and_subscription()
    {
        var counters = _server.Services.GetRequiredService<BridgeCounters>();
        var alice = await MessageClient.ConnectAsync(_server, "alice-abort");
        Assert.Equal(1, (await SessionInfoAsync("alice-abort")).Subscribers);

        alice.Socket.Socket.Abort();

        await Eventually.TrueAsync(async () => counters.Active == 0 && (await SessionInfoAsync("alice-abort")).Subscribers == 0);
        await alice.DisposeAsync();
    }

    private async Task<SessionInfo> SessionInfoAsync(string userId)
    {
        var registry = await _server.Services.GetRequiredService<Akka.Hosting.IRequiredActor<ChatSessionRegistry>>().GetAsync();
        return await Akka.Actor.Futures.Ask<SessionInfo>(registry, new ChatSessionCommands.GetSessionInfo(userId), TimeSpan.FromSeconds(5));
    }
}
