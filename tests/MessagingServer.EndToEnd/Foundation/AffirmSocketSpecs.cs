using System.Net.WebSockets;
using System.Text;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Foundation;

public sealed class AffirmSocketSpecs : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        ["Messaging:MaxMessageBytes"] = "65536",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Each_text_message_comes_back_affirmed_in_order()
    {
        await using var client = await SocketClient.ConnectAsync(_server.WebSocketUri("/affirm"));

        foreach (var text in new[] { "Hello!", "second", "ünïcødé ✓", "" })
        {
            await client.SendTextAsync(text);
            Assert.Equal($"You said {text}", await client.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task A_large_message_sent_in_fragments_is_reassembled()
    {
        await using var client = await SocketClient.ConnectAsync(_server.WebSocketUri("/affirm"));
        var text = string.Concat(Enumerable.Range(0, 6000).Select(i => (char)('a' + (i % 26)))) + new string('z', 54_000);
        var bytes = Encoding.UTF8.GetBytes(text);

        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);
        for (var offset = 0; offset < bytes.Length; offset += 7000)
        {
            var count = Math.Min(7000, bytes.Length - offset);
            await client.Socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count == bytes.Length, timeout.Token);
        }

        Assert.Equal($"You said {text}", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_client_close_is_answered_with_a_normal_close()
    {
        await using var client = await SocketClient.ConnectAsync(_server.WebSocketUri("/affirm"));
        await client.SendTextAsync("bye");
        Assert.Equal("You said bye", await client.ReceiveTextAsync());

        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);
        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        Assert.Equal(WebSocketState.Closed, client.Socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.Socket.CloseStatus);
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_the_socket_with_1009()
    {
        await using var client = await SocketClient.ConnectAsync(_server.WebSocketUri("/affirm"));

        await client.SendTextAsync(new string('x', 65_537));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_binary_message_closes_the_echo_with_1003()
    {
        await using var client = await SocketClient.ConnectAsync(_server.WebSocketUri("/affirm"));
        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);

        await client.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, timeout.Token);

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await client.ReceiveCloseAsync());
    }
}
