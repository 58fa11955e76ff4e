using System.Diagnostics;
using System.Net.WebSockets;
using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Foundation;

public sealed class ProcessSignalSpecs(ITestOutputHelper output)
{
    /// <summary>A hang detector, not a speed target: a stop that waits out the host's 30 s timeout fails it.</summary>
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sigterm_closes_open_sockets_with_1001_and_exits_zero_within_seconds()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var client = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        await client.SendTextAsync("Hello!");
        Assert.Equal("You said Hello!", await client.ReceiveTextAsync());

        await server.TerminateAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.ReceiveCloseAsync());
        Assert.Equal(0, await server.WaitForExitAsync(StopBound));
    }

    [Fact]
    public async Task Sigterm_with_twenty_message_sockets_open_closes_every_one_with_1001_and_exits_zero()
    {
        await using var server = await ServerProcess.StartAsync(timeout: TimeSpan.FromSeconds(60));
        var clients = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => ConnectAsync(server, $"stopper-{i}")));
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await server.TerminateAsync();

            var closes = await Task.WhenAll(clients.Select(c => c.ReceiveCloseAsync(StopBound)));
            var closed = stopwatch.Elapsed;
            var exitCode = await WaitForExitOrDumpAsync(server);
            output.WriteLine($"sockets closed after {closed.TotalSeconds:0.0} s, process exited after {stopwatch.Elapsed.TotalSeconds:0.0} s");

            Assert.All(closes, status => Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status));
            Assert.Equal(0, exitCode);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task<SocketClient> ConnectAsync(ServerProcess server, string user)
    {
        var client = await SocketClient.ConnectAsync(
            server.WebSocketUri($"/message/{user}"), o => o.SetRequestHeader("Authorization", $"Bearer {TestTokens.For(user)}"));
        Assert.Contains("\"welcome\"", await client.ReceiveTextAsync(TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
        return client;
    }

    private async Task<int> WaitForExitOrDumpAsync(ServerProcess server)
    {
        try
        {
            return await server.WaitForExitAsync(StopBound);
        }
        catch (OperationCanceledException)
        {
            foreach (var line in server.Output)
            {
                output.WriteLine(line);
            }

            throw new TimeoutException($"the server did not exit within {StopBound} of SIGTERM (its log is above)");
        }
    }
}
