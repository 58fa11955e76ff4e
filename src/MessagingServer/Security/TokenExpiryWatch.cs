using System.Net.WebSockets;
using MessagingServer.WebSockets;

namespace MessagingServer.Security;

/// <summary>
/// Closes a socket with 1008 (Policy Violation, reason <c>token expired</c>) when the token that opened
/// it stops being good (<see cref="TokenExpiry.GoodUntil(HttpContext)"/>: <c>exp</c> plus the clock skew the
/// handshake allowed), so a socket never outlives its credentials. Dispose it when the socket ends.
/// </summary>
public sealed class TokenExpiryWatch : IDisposable
{
    public const string CloseReason = "token expired";

    // ITimer refuses due times past about 49 days; a longer token re-arms when the timer fires.
    private static readonly TimeSpan MaxDue = TimeSpan.FromDays(30);

    private readonly TrackedWebSocket _socket;
    private readonly DateTimeOffset _expiresAt;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private int _expired;

    private TokenExpiryWatch(TrackedWebSocket socket, DateTimeOffset expiresAt, TimeProvider time)
    {
        _socket = socket;
        _expiresAt = expiresAt;
        _time = time;
        _timer = time.CreateTimer(static state => ((TokenExpiryWatch)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public DateTimeOffset ExpiresAt => _expiresAt;

    /// <summary>True once the token has expired and the close has begun.</summary>
    public bool HasExpired => Volatile.Read(ref _expired) != 0;

    public static TokenExpiryWatch Start(TrackedWebSocket socket, DateTimeOffset expiresAt, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(time);
        var watch = new TokenExpiryWatch(socket, expiresAt, time);
        watch.Arm();
        return watch;
    }

    /// <summary>Watches the token of <paramref name="context"/>; null when the request carried none (nothing to watch).</summary>
    public static TokenExpiryWatch? StartFor(HttpContext context, TrackedWebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TokenExpiry.GoodUntil(context) is { } expiresAt
            ? Start(socket, expiresAt, context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System)
            : null;
    }

    private void Arm()
    {
        var due = _expiresAt - _time.GetUtcNow();
        if (due <= TimeSpan.Zero)
        {
            Expire();
            return;
        }

        try
        {
            _timer.Change(due < MaxDue ? due : MaxDue, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: the socket has ended, nothing to watch.
        }
    }

    private void OnTimer() => Arm();

    private void Expire()
    {
        if (Interlocked.Exchange(ref _expired, 1) == 0)
        {
            _ = _socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, CloseReason);
        }
    }

    public void Dispose() => _timer.Dispose();
}
