using System.Diagnostics;
using System.Net.WebSockets;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Foundation;

public sealed class ProcessSignalSpecs
{
    [Fact]
    public async Task Sigterm_closes_open_sockets_with_1001_and_exits_zero_within_seconds()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var client = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        await client.SendTextAsync("Hello!");
        Assert.Equal("You said Hello!", await client.ReceiveTextAsync());

        var stopwatch = Stopwatch.StartNew();
        await server.TerminateAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.ReceiveCloseAsync());
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"exit took {stopwatch.Elapsed}");
    }
}
