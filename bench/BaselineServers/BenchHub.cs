using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace MessagingServer.Bench.Baselines;

/// <summary>
/// The server's job on SignalR, without storage: <c>Send</c> answers the caller with an <c>outbound</c>
/// event; a signed webhook on <c>POST /hub/sms</c> becomes a <c>message</c> event for the group of the
/// user who owns the To number. Clients join their user's group with <c>?user=</c>.
/// </summary>
public sealed class BenchHub : Hub
{
    private static long _seq;

    public override async Task OnConnectedAsync()
    {
        var user = Context.GetHttpContext()?.Request.Query["user"].ToString();
        if (!string.IsNullOrEmpty(user))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, user);
        }

        await base.OnConnectedAsync();
    }

    public Task Send(SendCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Clients.Caller.SendAsync("outbound", new OutboundEvent(
            "outbound", Interlocked.Increment(ref _seq), BaselineFrames.NewId(), command.ClientRef, "+15550000000", command.To, command.Body,
            BaselineFrames.Now(), "queued"));
    }

    /// <summary><see cref="Send"/> after storing a round trip's rows, as a durable hub would: the durable SignalR baseline.</summary>
    public async Task SendDurable(SendCommand command, Durable.DurableLog log)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(log);
        var seq = Interlocked.Add(ref _seq, 4) - 3;
        await log.AppendAsync(Context.ConnectionId, seq, Durable.DurableEndpoints.RoundTripRows(seq, command.To, command.Body, command.ClientRef));
        await Send(command);
    }

    public static async Task<IResult> InboundAsync(HttpContext context, IHubContext<BenchHub> hub, IOptions<ProviderSettings> options, Routing routing)
    {
        if (await WebhookForms.ReadSignedAsync(context, options.Value) is not { } form)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        string to = form["To"].ToString();
        await hub.Clients.Group(routing.UserFor(to)).SendAsync(
            "message",
            new MessageEvent("message", Interlocked.Increment(ref _seq), BaselineFrames.NewId(), form["From"].ToString(), to, form["Body"].ToString(), [], BaselineFrames.Now()),
            context.RequestAborted);
        return WebhookForms.Twiml();
    }
}

public sealed record SendCommand(string To, string Body, string? ClientRef);

public sealed record OutboundEvent(string Type, long Seq, string Id, string? ClientRef, string From, string To, string Body, string At, string Status);

public sealed record MessageEvent(string Type, long Seq, string Id, string From, string To, string Body, string[] Media, string At);
