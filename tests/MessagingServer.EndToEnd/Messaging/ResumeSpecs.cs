using System.Net.WebSockets;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;

namespace MessagingServer.EndToEnd.Messaging;

public sealed class ResumeSpecs : IAsyncLifetime
{
    private const string Number = "+15550006666";
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        [$"Routing:Numbers:{Number}"] = "dana",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Messages_for_an_offline_user_arrive_in_order_on_connect_then_ack_stops_their_replay()
    {
        var ingress = _server.Services.GetRequiredService<ISmsIngress>();
        for (var i = 1; i <= 50; i++)
        {
            Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(new InboundSms("+15550001234", Number, $"offline {i}", [], $"SMoff{i}"), CancellationToken.None));
        }

        await using (var dana = await MessageClient.ConnectAsync(_server, "dana"))
        {
            Assert.Equal(50, (long)dana.Welcome["lastSeq"]!);
            Assert.Equal(1, (long)dana.Welcome["resumeFrom"]!);
            var replayed = await dana.ReceiveManyAsync(50);
            Assert.Equal(Enumerable.Range(1, 50).Select(i => $"offline {i}"), replayed.Select(f => (string?)f["body"]));
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), replayed.Select(f => (long)f["seq"]!));
            await dana.ExpectNothingPendingAsync();
            await dana.SendJsonAsync(new { type = "ack", seq = 50 });
            await dana.ExpectNothingPendingAsync();
        }

        await using (var again = await MessageClient.ConnectAsync(_server, "dana"))
        {
            Assert.Equal(51, (long)again.Welcome["resumeFrom"]!);
            await again.ExpectNothingPendingAsync();
        }

        await using var fromTen = await MessageClient.ConnectAsync(_server, "dana", "?since=40");
        var tail = await fromTen.ReceiveManyAsync(10);
        Assert.Equal(Enumerable.Range(41, 10).Select(i => (long)i), tail.Select(f => (long)f["seq"]!));
        await fromTen.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task A_repeated_message_sid_is_stored_and_delivered_once()
    {
        var ingress = _server.Services.GetRequiredService<ISmsIngress>();
        await using var dana = await MessageClient.ConnectAsync(_server, "dana", "?since=1000000");

        var sms = new InboundSms("+15550004321", Number, "only once", [], "SMdup1");
        Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(sms, CancellationToken.None));
        Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(sms, CancellationToken.None));

        var message = await dana.ExpectAsync("message");
        Assert.Equal("only once", (string?)message["body"]);
        await dana.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Stopping_the_server_closes_message_sockets_with_1001()
    {
        var server = await RunningServer.StartAsync();
        await using var erin = await MessageClient.ConnectAsync(server, "erin");

        var stopping = server.DisposeAsync().AsTask();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await erin.Socket.ReceiveCloseAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
