using System.Globalization;
using Microsoft.Extensions.Options;

namespace MessagingServer.Bench.Baselines;

/// <summary>Bare Kestrel: the same jobs as the server with no actors, streams or storage.</summary>
public static class BareEndpoints
{
    private static long _seq;

    public static void MapBareEndpoints(this IEndpointRouteBuilder app)
    {
        app.Map("/bare/echo", EchoAsync);
        app.Map("/bare/inbox/{userId}", InboxAsync);
        app.MapPost("/bare/sms", SmsAsync);
        app.Map("/bare/replay", ReplayAsync);
    }

    /// <summary>Each text message comes back as it is.</summary>
    private static async Task EchoAsync(HttpContext context)
    {
        if (await AcceptAsync(context) is not { } socket)
        {
            return;
        }

        while (await socket.ReadAsync(context.RequestAborted) is { } message)
        {
            if (!await socket.SendAsync(message))
            {
                break;
            }
        }

        await socket.CloseAsync();
    }

    /// <summary>A user's socket, fed by <c>POST /bare/sms</c>.</summary>
    private static async Task InboxAsync(HttpContext context, string userId, SocketDirectory sockets)
    {
        if (await AcceptAsync(context) is not { } socket)
        {
            return;
        }

        var key = "inbox:" + userId;
        sockets.Add(key, socket);
        try
        {
            while (await socket.ReadAsync(context.RequestAborted) is not null)
            {
            }
        }
        finally
        {
            sockets.Remove(key, socket);
        }

        await socket.CloseAsync();
    }

    /// <summary>A signed inbound-SMS webhook: checked, routed by its To number, written to the user's socket, answered with empty TwiML.</summary>
    private static async Task<IResult> SmsAsync(HttpContext context, IOptions<ProviderSettings> options, Routing routing, SocketDirectory sockets)
    {
        if (await WebhookForms.ReadSignedAsync(context, options.Value) is not { } form)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        string to = form["To"].ToString();
        var frame = BaselineFrames.Message(Interlocked.Increment(ref _seq), BaselineFrames.NewId(), form["From"].ToString(), to, form["Body"].ToString());
        if (sockets.Find("inbox:" + routing.UserFor(to)) is { } socket)
        {
            await socket.SendAsync(frame, context.RequestAborted);
        }

        return WebhookForms.Twiml();
    }

    /// <summary>On connect: <c>welcome</c>, then <c>count</c> events after <c>since</c> from memory, then wait for the close.</summary>
    private static async Task ReplayAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var since = long.TryParse(query["since"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var count = int.TryParse(query["count"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? Math.Clamp(c, 0, 10_000) : 20;
        var user = query["user"].ToString() is { Length: > 0 } u ? u : "user";
        if (await AcceptAsync(context) is not { } socket)
        {
            return;
        }

        await socket.SendAsync(BaselineFrames.Welcome(user, since + count, since + 1));
        for (var i = 1; i <= count; i++)
        {
            await socket.SendAsync(BaselineFrames.Outbound(since + i, BaselineFrames.NewId(), null, "+15550000000", "+15550001111", "replayed event", "delivered"));
        }

        while (await socket.ReadAsync(context.RequestAborted) is not null)
        {
        }

        await socket.CloseAsync();
    }

    private static async Task<BaselineSocket?> AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        return new BaselineSocket(await context.WebSockets.AcceptWebSocketAsync());
    }
}
