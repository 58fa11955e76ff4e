using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace MessagingServer.Bench.Baselines;

/// <summary>A server socket with one writer at a time, and a reader that reassembles whole text messages.</summary>
public sealed class BaselineSocket(WebSocket socket)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public WebSocket Socket { get; } = socket;

    /// <summary>The next whole message, or null when the peer closed or went away.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(_buffer.GetMemory(1024), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                _buffer.Advance(result.Count);
                if (_buffer.WrittenCount > 64 * 1024)
                {
                    return null;
                }

                if (result.EndOfMessage)
                {
                    return _buffer.WrittenMemory;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (Socket.State != WebSocketState.Open)
            {
                return false;
            }

            await Socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Answers the peer's close (or closes) and gives the handshake a bounded time.</summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await _sendLock.WaitAsync(timeout.Token);
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Socket.Abort();
        }
    }
}

/// <summary>The open socket of each user (one per user: the bench tool opens one).</summary>
public sealed class SocketDirectory
{
    private readonly ConcurrentDictionary<string, BaselineSocket> _byUser = new(StringComparer.Ordinal);

    public void Add(string user, BaselineSocket socket) => _byUser[user] = socket;

    public void Remove(string user, BaselineSocket socket) => _byUser.TryRemove(new KeyValuePair<string, BaselineSocket>(user, socket));

    public BaselineSocket? Find(string user) => _byUser.GetValueOrDefault(user);
}
