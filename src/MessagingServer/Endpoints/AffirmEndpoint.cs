using System.Net.WebSockets;
using MessagingServer.Security;
using MessagingServer.WebSockets;
using Microsoft.Extensions.Options;

namespace MessagingServer.Endpoints;

/// <summary>
/// <c>/affirm</c>: a WebSocket echo; each text message <c>X</c> comes back as <c>You said X</c>. Anonymous: it counts
/// against <c>Limits:MaxAnonymousSockets</c>, and a socket silent for <c>Limits:AnonymousIdleTimeout</c> is closed.
/// </summary>
public static partial class AffirmEndpoint
{
    private static readonly byte[] Prefix = "You said "u8.ToArray();

    public static IEndpointRouteBuilder MapAffirmEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/affirm", HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, WebSocketConnections connections, WebSocketSettings settings, IOptions<LimitsOptions> limits, ILogger<AffirmMarker> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "websocket_required", "A WebSocket upgrade is required");
            return;
        }

        using var reservation = await connections.ReserveOrRefuseAsync(context, "affirm", userId: null);
        if (reservation is null)
        {
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var tracked = reservation.Track(socket);
        using var idle = new IdleSocketWatch(tracked, limits.Value.AnonymousIdleTimeout);
        var reader = new WebSocketMessageReader(socket, settings.MaxMessageBytes);
        var aborted = context.RequestAborted;
        try
        {
            while (true)
            {
                var message = await reader.ReadAsync(aborted);
                idle.Touch();
                switch (message.Kind)
                {
                    case ReceivedKind.Close:
                        await tracked.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                        return;
                    case ReceivedKind.TooBig:
                        await tracked.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message over {settings.MaxMessageBytes} bytes");
                        await DrainUntilClosedAsync(reader, aborted);
                        return;
                    case ReceivedKind.Binary:
                        await tracked.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "text frames only");
                        await DrainUntilClosedAsync(reader, aborted);
                        return;
                    default:
                        await tracked.SendTextAsync(Echo(message.Payload.Span), aborted);
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            LogSocketEnded(logger, e.Message);
        }
    }

    private static byte[] Echo(ReadOnlySpan<byte> text)
    {
        var reply = new byte[Prefix.Length + text.Length];
        Prefix.CopyTo(reply, 0);
        text.CopyTo(reply.AsSpan(Prefix.Length));
        return reply;
    }

    /// <summary>After our close frame, read (and drop) until the peer's close arrives or the socket is aborted.</summary>
    internal static async Task DrainUntilClosedAsync(WebSocketMessageReader reader, CancellationToken cancellationToken)
    {
        while ((await reader.ReadAsync(cancellationToken)).Kind != ReceivedKind.Close)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Affirm socket ended abruptly: {Reason}")]
    private static partial void LogSocketEnded(ILogger logger, string reason);

    /// <summary>Log category for the echo endpoint.</summary>
    public sealed class AffirmMarker;
}
