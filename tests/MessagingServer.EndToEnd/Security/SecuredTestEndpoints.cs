using System.Net.WebSockets;
using System.Text;
using MessagingServer.Security;
using MessagingServer.WebSockets;

namespace MessagingServer.EndToEnd.Security;

/// <summary>
/// Test-only stand-ins for the real user endpoints, guarded the way the real ones must be:
/// <c>GET /api/users/{userId}/probe</c>, the socket <c>/message/{userId}/probe</c> (beside the real
/// <c>/message/{userId}</c>; caps, expiry watch, echo <c>{userId}: X</c>), and
/// <c>GET /other/{userId}/probe</c>, a path that takes no query token.
/// </summary>
public static class SecuredTestEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGroup("/api/users/{userId}").RequireSameUser()
            .MapGet("/probe", (string userId) => Results.Text(userId));
        app.MapGet("/other/{userId}/probe", (string userId) => Results.Text(userId)).RequireSameUser();
        app.Map("/message/{userId}/probe", HandleSocketAsync).RequireSameUser();
    }

    private static async Task HandleSocketAsync(HttpContext context, string userId, WebSocketConnections connections, WebSocketSettings settings)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var reservation = await connections.ReserveOrRefuseAsync(context, "message", userId);
        if (reservation is null)
        {
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var tracked = reservation.Track(socket);
        using var expiry = TokenExpiryWatch.StartFor(context, tracked);
        var reader = new WebSocketMessageReader(socket, settings.MaxMessageBytes);
        try
        {
            while (true)
            {
                var message = await reader.ReadAsync(context.RequestAborted);
                if (message.Kind != ReceivedKind.Text)
                {
                    await tracked.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                }

                var reply = $"{userId}: {Encoding.UTF8.GetString(message.Payload.Span)}";
                await tracked.SendTextAsync(Encoding.UTF8.GetBytes(reply), context.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The peer went away or the socket was aborted after a close: the test decides what that means.
        }
    }
}
