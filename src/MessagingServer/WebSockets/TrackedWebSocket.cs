using System.Net.WebSockets;

namespace MessagingServer.WebSockets;

/// <summary>
/// An open server socket with one writer at a time. Every send and the close handshake go through
/// here, so that shutdown (1001), overflow (1013) and normal traffic never write concurrently.
/// </summary>
public sealed class TrackedWebSocket : IAsyncDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Action<TrackedWebSocket> _onDispose;
    private readonly TimeSpan _closeTimeout;
    private int _closing;

    internal TrackedWebSocket(WebSocket socket, string kind, string? userId, TimeSpan closeTimeout, Action<TrackedWebSocket> onDispose)
    {
        Socket = socket;
        Kind = kind;
        UserId = userId;
        _closeTimeout = closeTimeout;
        _onDispose = onDispose;
    }

    public WebSocket Socket { get; }

    public string Kind { get; }

    /// <summary>The user whose socket this is (counted against its cap), or null for sockets of no user.</summary>
    public string? UserId { get; }

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    public async ValueTask<bool> SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsClosing || Socket.State != WebSocketState.Open)
            {
                return false;
            }

            await Socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Starts the closing handshake once (later calls are ignored) and aborts the socket if the peer
    /// does not answer within the close timeout, so no handler waits forever on a silent peer.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_closeTimeout);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            Socket.Abort();
            return;
        }

        // The peer's close frame is read by the socket's own receive loop; give it a bounded time.
        _ = Task.Delay(_closeTimeout).ContinueWith(
            _ =>
            {
                if (Socket.State != WebSocketState.Closed)
                {
                    Socket.Abort();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public ValueTask DisposeAsync()
    {
        _onDispose(this);
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
