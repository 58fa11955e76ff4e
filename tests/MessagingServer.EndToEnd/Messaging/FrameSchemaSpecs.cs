using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Messaging;

/// <summary>Every frame the server sends, live, replayed or over REST, validates against its schema in docs/schemas.</summary>
public sealed class FrameSchemaSpecs
{
    [Fact]
    public async Task Every_frame_the_server_sends_in_a_conversation_validates_against_its_schema()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sms:Loopback:AutoReply"] = "true" });
        var token = server.TokenFor("alice");
        var received = new List<string>();

        await using (var socket = await SocketClient.ConnectAsync(server.WebSocketUri($"/message/alice?access_token={token}")))
        {
            async Task<string> Next()
            {
                var frame = await socket.ReceiveTextAsync() ?? throw new InvalidOperationException("the socket closed");
                received.Add(frame);
                return frame;
            }

            async Task Until(Func<string, bool> done)
            {
                while (!done(await Next()))
                {
                }
            }

            Assert.Equal("welcome", FrameSchemas.TypeOf(await Next()));
            await socket.SendTextAsync("""{"type":"send","to":"+15550001111","body":"Hello ☀","clientRef":"c1"}""");
            var outbound = 0;
            var delivered = false;
            var reply = false;
            await Until(f =>
            {
                var node = JsonNode.Parse(f)!;
                outbound += (string?)node["type"] == "outbound" ? 1 : 0;
                delivered |= (string?)node["status"] == "delivered";
                reply |= (string?)node["type"] == "message";
                return outbound == 1 && delivered && reply;
            });

            await socket.SendTextAsync("""{"type":"send","to":"+15550001111","body":"Hello ☀","clientRef":"c1"}""");
            await Until(f => FrameSchemas.TypeOf(f) == "outbound");
            await socket.SendTextAsync("""{"type":"send","to":"12345","body":"x","clientRef":"c2"}""");
            await Until(f => FrameSchemas.TypeOf(f) == "error");
            await socket.SendTextAsync("""{"type":"dance"}""");
            await Until(f => FrameSchemas.TypeOf(f) == "error");
            await socket.SendTextAsync("""{"type":"ack","seq":99999}""");
            await Until(f => FrameSchemas.TypeOf(f) == "error");
            await socket.SendTextAsync("""{"type":"ping"}""");
            await Until(f => FrameSchemas.TypeOf(f) == "pong");
        }

        // A replay from the start: the stored events as a reconnecting device gets them.
        await using (var replay = await SocketClient.ConnectAsync(server.WebSocketUri($"/message/alice?since=0&access_token={token}")))
        {
            var welcome = await replay.ReceiveTextAsync();
            received.Add(welcome!);
            var lastSeq = (long)JsonNode.Parse(welcome!)!["lastSeq"]!;
            for (long seq = 0; seq < lastSeq;)
            {
                var frame = await replay.ReceiveTextAsync();
                received.Add(frame!);
                seq = (long?)JsonNode.Parse(frame!)!["seq"] ?? seq;
            }
        }

        // The REST history and the conversation rows carry the same events.
        var http = server.HttpFor("alice");
        foreach (var e in JsonNode.Parse(await http.GetStringAsync(new Uri("/api/users/alice/messages?since=0", UriKind.Relative)))!.AsArray())
        {
            received.Add(e!.ToJsonString());
        }

        foreach (var row in JsonNode.Parse(await http.GetStringAsync(new Uri("/api/users/alice/conversations", UriKind.Relative)))!.AsArray())
        {
            received.Add(row!["lastMessage"]!.ToJsonString());
        }

        Assert.Equal(["error", "message", "outbound", "pong", "status", "welcome"], received.Select(FrameSchemas.TypeOf).Distinct().Order());
        foreach (var frame in received)
        {
            FrameSchemas.AssertValid(frame);
        }
    }

    [Fact]
    public void The_schemas_refuse_frames_that_break_them()
    {
        Assert.Contains("welcome", FrameSchemas.Types);
        Assert.Empty(FrameSchemas.Problems("""{"type":"pong"}"""));
        Assert.NotEmpty(FrameSchemas.Problems("""{"type":"pong","extra":1}"""));
        Assert.NotEmpty(FrameSchemas.Problems("""{"type":"welcome","userId":"alice","lastSeq":-1,"resumeFrom":1}"""));
        Assert.NotEmpty(FrameSchemas.Problems("""{"type":"status","seq":2,"id":"m1","status":"lost","at":"2026-11-23T18:00:00.000Z"}"""));
        Assert.NotEmpty(FrameSchemas.Problems("""{"type":"message","seq":3,"id":"m2","from":"+1","to":"+2","body":"x","at":"2026-11-23T18:00:00.000Z"}"""));
        Assert.NotEmpty(FrameSchemas.Problems("""{"type":"nope"}"""));
    }
}
