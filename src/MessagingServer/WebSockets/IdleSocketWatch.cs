using System.Net.WebSockets;

namespace MessagingServer.WebSockets;

/// <summary>
/// Closes a socket with 1008 once the peer has sent nothing for the idle timeout; each frame from the peer
/// (<see cref="Touch"/>) starts the wait again. Anonymous sockets hold a slot without any token, so an idle one
/// must give it back.
/// </summary>
public sealed class IdleSocketWatch : IDisposable
{
    private readonly Timer _timer;
    private readonly TimeSpan _timeout;

    public IdleSocketWatch(TrackedWebSocket socket, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _timeout = timeout;
        var reason = $"idle for {(int)timeout.TotalSeconds} s";
        _timer = new Timer(_ => _ = socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, reason), null, timeout, Timeout.InfiniteTimeSpan);
    }

    public void Touch() => _timer.Change(_timeout, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();
}
