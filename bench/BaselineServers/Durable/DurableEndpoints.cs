using System.Text;

namespace MessagingServer.Bench.Baselines.Durable;

/// <summary>
/// <c>/durable/echo</c>: a bare Kestrel WebSocket that, for each frame, stores the rows one round trip of the server
/// stores (the outbound message, "call started", <c>sent</c>, <c>delivered</c>) through the shared
/// <see cref="DurableLog"/>, and answers with the frame once they are committed. The closest a durable server can come.
/// </summary>
public static class DurableEndpoints
{
    private static long _sockets;

    public static void MapDurableEndpoints(this IEndpointRouteBuilder app) => app.Map("/durable/echo", EchoAsync);

    /// <summary>The four rows of one round trip, shaped like the server's stored events.</summary>
    public static IReadOnlyList<(string Manifest, byte[] Payload)> RoundTripRows(long seq, string to, string body, string? clientRef)
    {
        var id = BaselineFrames.NewId();
        return
        [
            ("outbound.v1", BaselineFrames.Outbound(seq, id, clientRef, "+15550000000", to, body, "queued")),
            ("dispatch-started.v1", Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","at":"{{BaselineFrames.Now()}}"}""")),
            ("status.v1", BaselineFrames.Status(seq + 1, id, "sent")),
            ("status.v1", BaselineFrames.Status(seq + 2, id, "delivered")),
        ];
    }

    private static async Task EchoAsync(HttpContext context, DurableLog log)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var socket = new BaselineSocket(await context.WebSockets.AcceptWebSocketAsync());
        var persistenceId = "durable-" + Interlocked.Increment(ref _sockets);
        long seq = 1;
        while (await socket.ReadAsync(context.RequestAborted) is { } message)
        {
            var (to, body, clientRef) = BaselineFrames.ReadSend(message.Span) ?? ("+15550001111", "", null);
            var rows = RoundTripRows(seq, to, body, clientRef);
            await log.AppendAsync(persistenceId, seq, rows);
            seq += rows.Count;
            if (!await socket.SendAsync(message))
            {
                break;
            }
        }

        await socket.CloseAsync();
    }
}
