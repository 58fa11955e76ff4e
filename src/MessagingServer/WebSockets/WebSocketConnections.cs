using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace MessagingServer.WebSockets;

/// <summary>
/// Every open socket of the server. When the host begins to stop, each one is closed with 1001
/// (Going Away) before Kestrel waits for requests to finish and before the actor system stops.
/// </summary>
public sealed partial class WebSocketConnections
{
    private readonly ConcurrentDictionary<TrackedWebSocket, byte> _open = new();
    private readonly WebSocketSettings _settings;
    private readonly ILogger<WebSocketConnections> _logger;
    private readonly CancellationToken _stopping;

    public WebSocketConnections(WebSocketSettings settings, IHostApplicationLifetime lifetime, ILogger<WebSocketConnections> logger)
    {
        _settings = settings;
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
        _stopping.Register(CloseAllForShutdown);
    }

    public int Count => _open.Count;

    public int CountOf(string kind) => _open.Keys.Count(s => s.Kind == kind);

    public TrackedWebSocket Track(WebSocket socket, string kind)
    {
        var tracked = new TrackedWebSocket(socket, kind, _settings.CloseTimeout, s => _open.TryRemove(s, out _));
        _open[tracked] = 0;
        if (_stopping.IsCancellationRequested)
        {
            _ = tracked.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
        }

        return tracked;
    }

    private void CloseAllForShutdown()
    {
        var sockets = _open.Keys.ToArray();
        LogClosingForShutdown(sockets.Length);
        foreach (var socket in sockets)
        {
            _ = socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing {SocketCount} open sockets with 1001 for shutdown")]
    private partial void LogClosingForShutdown(int socketCount);
}
