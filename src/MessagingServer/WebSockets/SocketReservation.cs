using System.Net.WebSockets;

namespace MessagingServer.WebSockets;

/// <summary>
/// A slot under the socket caps, taken before the upgrade. <see cref="Track"/> hands it to the accepted
/// socket (freed when that is disposed); disposing the reservation without tracking frees it at once.
/// </summary>
public sealed class SocketReservation : IDisposable
{
    private readonly WebSocketConnections _connections;
    private int _state; // 0 reserved, 1 handed to a socket, 2 released

    internal SocketReservation(WebSocketConnections connections, string kind, string? userId, string? address)
    {
        _connections = connections;
        Kind = kind;
        UserId = userId;
        Address = address;
    }

    public string Kind { get; }

    public string? UserId { get; }

    /// <summary>The client address counted against <c>Limits:MaxSocketsPerIp</c>, when known.</summary>
    public string? Address { get; }

    public TrackedWebSocket Track(WebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("This reservation has already been used or released");
        }

        return _connections.Open(socket, Kind, UserId, () => _connections.ReleaseSlot(UserId, Address));
    }

    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
        {
            _connections.ReleaseSlot(UserId, Address);
        }
    }
}
