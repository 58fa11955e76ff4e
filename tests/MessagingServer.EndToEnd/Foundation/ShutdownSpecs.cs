using System.Net.WebSockets;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Foundation;

public sealed class ShutdownSpecs
{
    [Fact]
    public async Task Stopping_the_host_closes_open_sockets_with_1001_and_stops_the_actor_system()
    {
        var server = await RunningServer.StartAsync();
        await using var client = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        await client.SendTextAsync("still here");
        Assert.Equal("You said still here", await client.ReceiveTextAsync());
        var system = server.Services.GetRequiredService<Akka.Actor.ActorSystem>();

        var stopping = server.DisposeAsync().AsTask();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.ReceiveCloseAsync());
        // A hang detector, not a speed target.
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(system.WhenTerminated.IsCompleted);
    }
}
