using System.Diagnostics;
using System.Net.WebSockets;

namespace MessagingServer.Bench.Clients;

/// <summary>
/// One client socket: a receive loop that parses each whole text message into a <see cref="Frame"/> and
/// hands it, with its arrival timestamp, to a callback (on the loop's own thread, in order). Sends come
/// from one task at a time, as ClientWebSocket requires.
/// </summary>
public sealed class BenchSocket : IAsyncDisposable
{
    private const int InitialBuffer = 1024;
    private const int MaxMessage = 1024 * 1024;

    /// <summary>A handshake that takes longer than this fails (the storm and idle scenarios count such failures).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();
    private readonly Action<Frame, long> _onFrame;
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private long _frames;
    private int _closedByServer;

    private BenchSocket(Action<Frame, long> onFrame)
    {
        _onFrame = onFrame;
        // Server pings are answered by the receive loop; the client sends none of its own.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public long FramesReceived => Interlocked.Read(ref _frames);

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public bool ClosedByServer => Volatile.Read(ref _closedByServer) != 0;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<BenchSocket> ConnectAsync(Uri uri, Action<Frame, long> onFrame, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var socket = new BenchSocket(onFrame);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bounded.CancelAfter(ConnectTimeout);
        try
        {
            await socket._socket.ConnectAsync(uri, bounded.Token);
        }
        catch
        {
            socket._socket.Dispose();
            socket._stop.Dispose();
            throw;
        }

        socket._receiving = socket.ReceiveAsync();
        return socket;
    }

    public Task SendAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancel) =>
        _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, cancel).AsTask();

    private async Task ReceiveAsync()
    {
        var buffer = new byte[InitialBuffer];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxMessage)
                    {
                        return;
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Volatile.Write(ref _closedByServer, 1);
                    return;
                }

                length += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var arrived = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _frames);
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    _onFrame(Frame.Parse(buffer.AsSpan(0, length)), arrived);
                }

                length = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket ended (server close, abort, or our own stop).
        }
    }

    /// <summary>A normal close: our close frame, the server's answer (bounded wait), then the socket is released.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var bounded = new CancellationTokenSource(timeout);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", bounded.Token);
            }

            await _receiving.WaitAsync(bounded.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
    }
}
