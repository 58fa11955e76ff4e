using System.Globalization;
using MessagingServer.Domain;
using MessagingServer.Domain.Protocol;
using MessagingServer.Security;
using MessagingServer.WebSockets;

namespace MessagingServer.Endpoints;

/// <summary><c>/message/{userId}</c>: the user's live session (see docs/protocol.md).</summary>
public static class MessageSocketEndpoint
{
    public const string SocketKind = "message";

    /// <summary>Only the user named in the path, with a valid token, gets past the handshake (401/403 before the upgrade).</summary>
    public static RouteHandlerBuilder MapMessageSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map("/message/{userId}", HandleAsync).RequireSameUser();

    private static async Task HandleAsync(
        HttpContext context, string userId, WebSocketConnections connections, ClusterSocketCap clusterCap, SessionSocketBridge bridge)
    {
        if (!UserId.TryParse(userId, out var user))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidUser,
                "A user id is 1–64 letters, digits, '-', '_', '.' or '@'");
            return;
        }

        long? since = null;
        if (context.Request.Query.TryGetValue("since", out var sinceText))
        {
            if (!long.TryParse(sinceText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await Problems.Write(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor, "'since' must be a non-negative event number");
                return;
            }

            since = parsed;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "websocket_required", "A WebSocket upgrade is required");
            return;
        }

        using var reservation = await connections.ReserveOrRefuseAsync(context, SocketKind, user.Value);
        if (reservation is null)
        {
            return;
        }

        if (await clusterCap.IsReachedAsync(user.Value, context.RequestAborted))
        {
            await WebSocketAdmission.RefuseUserCapAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var tracked = reservation.Track(socket);
        using var expiry = TokenExpiryWatch.StartFor(context, tracked);
        await bridge.RunAsync(tracked, user.Value, since, context.RequestAborted);
    }
}
