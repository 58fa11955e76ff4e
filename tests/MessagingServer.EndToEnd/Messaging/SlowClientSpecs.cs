using System.Net.WebSockets;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;
using MessagingServer.WebSockets;

namespace MessagingServer.EndToEnd.Messaging;

public sealed class SlowClientSpecs
{
    [Fact]
    public async Task A_client_that_does_not_read_is_closed_with_1013_and_its_events_stay_available()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Messaging:SocketBufferSize"] = "16",
            ["Routing:Numbers:+15550007777"] = "sleepy",
        });
        var counters = server.Services.GetRequiredService<BridgeCounters>();
        var ingress = server.Services.GetRequiredService<ISmsIngress>();
        await using var sleepy = await MessageClient.ConnectAsync(server, "sleepy", options: o => o.SetBuffer(1024, 1024));
        var body = new string('z', 1600);

        // Stored events pile up while the client reads nothing; bounded so the test always ends.
        var stored = 0;
        while (counters.Overflowed == 0 && stored < 40_000)
        {
            var result = await ingress.ReceiveAsync(new InboundSms("+15550009999", "+15550007777", body, [], $"SM{stored}"), CancellationToken.None);
            Assert.Equal(IngressResult.Stored, result);
            stored++;
        }

        Assert.Equal(1, counters.Overflowed);

        // The client wakes up: it gets what was already on the wire, then the 1013 close.
        var received = 0;
        while (await sleepy.Socket.ReceiveTextAsync() is not null)
        {
            received++;
        }

        Assert.Equal((WebSocketCloseStatus)1013, sleepy.Socket.Socket.CloseStatus);
        Assert.True(received < stored, $"received {received} of {stored}");

        // Reconnecting from where it got to replays the rest.
        await using var again = await MessageClient.ConnectAsync(server, "sleepy", query: $"?since={received}");
        Assert.Equal(stored, (long)again.Welcome["lastSeq"]!);
        Assert.Equal(received + 1, (long)again.Welcome["resumeFrom"]!);
    }
}
