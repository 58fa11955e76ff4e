using System.Net.WebSockets;
using System.Text;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>A test's <see cref="ClientWebSocket"/> with whole-message reads and a default timeout on every wait.</summary>
public sealed class SocketClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private SocketClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<SocketClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? options = null)
    {
        var socket = new ClientWebSocket();
        options?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new SocketClient(socket);
    }

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>Reads one whole message; a close frame comes back as <c>null</c> with <see cref="WebSocket.CloseStatus"/> set.</summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    /// <summary>
    /// Reads until the server's close frame arrives, answers it as browsers and every WebSocket library do (so the
    /// server's handler ends at once rather than after its close timeout), and returns the server's status.
    /// </summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync(TimeSpan? timeout = null)
    {
        while (await ReceiveTextAsync(timeout) is not null)
        {
        }

        var status = Socket.CloseStatus;
        if (Socket.State == WebSocketState.CloseReceived)
        {
            using var answer = new CancellationTokenSource(DefaultTimeout);
            try
            {
                await Socket.CloseOutputAsync(status ?? WebSocketCloseStatus.NormalClosure, null, answer.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server dropped the connection right after its close frame; there is nothing left to answer.
            }
        }

        return status;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server may already be gone; nothing to clean up.
            }
        }

        Socket.Dispose();
    }
}
