using System.Collections.Concurrent;
using System.Net.WebSockets;
using MessagingServer.Security;
using Microsoft.Extensions.Options;

namespace MessagingServer.WebSockets;

/// <summary>
/// Every open socket of the server, and the caps on how many may be open (<see cref="SocketSlots"/>): per user,
/// per client address, users in all, and anonymous sockets in a pool of their own.
/// A slot is reserved with <see cref="TryReserve"/> <em>before</em> the upgrade is accepted and freed
/// when the tracked socket is disposed. When the node begins to stop (Akka's first coordinated-shutdown phase,
/// or the host's stopping event, whichever comes first), each open socket is closed with 1001 (Going Away),
/// before the shards hand off and before Kestrel waits for requests to finish (see <see cref="SocketShutdown"/>).
/// </summary>
public sealed partial class WebSocketConnections
{
    private readonly ConcurrentDictionary<TrackedWebSocket, byte> _open = new();
    private readonly Lock _gate = new();
    private readonly WebSocketSettings _settings;
    private readonly LimitsOptions _limits;
    private readonly ILogger<WebSocketConnections> _logger;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SocketSlots _slots;
    private int _shuttingDown;

    public WebSocketConnections(
        WebSocketSettings settings,
        IOptions<LimitsOptions> limits,
        IHostApplicationLifetime lifetime,
        ILogger<WebSocketConnections> logger)
    {
        _settings = settings;
        _limits = limits.Value;
        _slots = new SocketSlots(_limits);
        _logger = logger;
        lifetime.ApplicationStopping.Register(() => _ = CloseAllForShutdownAsync());
    }

    /// <summary>Whether shutdown has begun: open sockets got 1001 and any socket opened from now on gets it at once.</summary>
    public bool IsShuttingDown => Volatile.Read(ref _shuttingDown) != 0;

    /// <summary>Open (tracked) sockets.</summary>
    public int Count => _open.Count;

    /// <summary>Taken slots: open sockets plus reservations whose upgrade is under way.</summary>
    public int Reserved
    {
        get
        {
            lock (_gate)
            {
                return _slots.Total;
            }
        }
    }

    public int CountOf(string kind) => _open.Keys.Count(s => s.Kind == kind);

    public int CountOfUser(string userId)
    {
        lock (_gate)
        {
            return _slots.OfUser(userId);
        }
    }

    /// <summary>Whether one more socket (of <paramref name="userId"/>, when given) would be admitted now; reserve to be sure.</summary>
    public bool CanAccept(string? userId)
    {
        lock (_gate)
        {
            return _slots.Check(userId, address: null) == SocketAdmission.Admitted;
        }
    }

    /// <summary>
    /// Takes a slot for a socket about to be accepted, or says which cap refuses it. Call before
    /// <c>AcceptWebSocketAsync</c>; turn the reservation into a tracked socket with
    /// <see cref="SocketReservation.Track"/>, or dispose it if the upgrade does not happen.
    /// </summary>
    public SocketAdmission TryReserve(string kind, string? userId, out SocketReservation? reservation) =>
        TryReserve(kind, userId, address: null, out reservation);

    /// <inheritdoc cref="TryReserve(string, string?, out SocketReservation?)"/>
    /// <param name="address">The client's address, counted against <see cref="LimitsOptions.MaxSocketsPerIp"/>.</param>
    public SocketAdmission TryReserve(string kind, string? userId, System.Net.IPAddress? address, out SocketReservation? reservation)
    {
        var addressKey = AddressKey(address);
        SocketAdmission admission;
        lock (_gate)
        {
            admission = _slots.Check(userId, addressKey);
            if (admission == SocketAdmission.Admitted)
            {
                _slots.Take(userId, addressKey);
            }
        }

        if (admission != SocketAdmission.Admitted)
        {
            reservation = null;
            LogRefused(kind, userId, addressKey, admission);
            return admission;
        }

        reservation = new SocketReservation(this, kind, userId, addressKey);
        return SocketAdmission.Admitted;
    }

    /// <summary>Tracks a socket of no user without checking the caps (it still counts against them).</summary>
    public TrackedWebSocket Track(WebSocket socket, string kind)
    {
        lock (_gate)
        {
            _slots.Take(null, null);
        }

        return new SocketReservation(this, kind, null, null).Track(socket);
    }

    internal TrackedWebSocket Open(WebSocket socket, string kind, string? userId, Action release)
    {
        var tracked = new TrackedWebSocket(socket, kind, userId, _settings.CloseTimeout, s =>
        {
            if (_open.TryRemove(s, out _))
            {
                release();
                if (IsShuttingDown && _open.IsEmpty)
                {
                    _drained.TrySetResult();
                }
            }
        });
        _open[tracked] = 0;
        if (IsShuttingDown)
        {
            _ = tracked.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
        }

        return tracked;
    }

    internal void ReleaseSlot(string? userId, string? address)
    {
        lock (_gate)
        {
            _slots.Release(userId, address);
        }
    }

    private static string? AddressKey(System.Net.IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>
    /// Closes every open socket with 1001 (the first call only; later calls wait with it) and completes once every
    /// socket's handler has ended: each has its close timeout to answer before it is aborted.
    /// </summary>
    public Task CloseAllForShutdownAsync()
    {
        if (Interlocked.Exchange(ref _shuttingDown, 1) == 0)
        {
            var sockets = _open.Keys.ToArray();
            LogClosingForShutdown(sockets.Length);
            foreach (var socket in sockets)
            {
                _ = socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
            }

            if (_open.IsEmpty)
            {
                _drained.TrySetResult();
            }
        }

        return _drained.Task;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing {SocketCount} open sockets with 1001 for shutdown")]
    private partial void LogClosingForShutdown(int socketCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Kind} socket for user {UserId} from {ClientAddress}: {Admission}")]
    private partial void LogRefused(string kind, string? userId, string? clientAddress, SocketAdmission admission);
}
