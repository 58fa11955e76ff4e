using System.Buffers;
using Akka.Actor;
using Akka.Hosting;
using MessagingServer.Domain;
using MessagingServer.Domain.Broadcasts;
using MessagingServer.Domain.Protocol;
using MessagingServer.Endpoints;
using MessagingServer.OpenApi;
using MessagingServer.Security;
using static MessagingServer.Broadcasts.BroadcastCommands;

namespace MessagingServer.Broadcasts;

/// <summary>
/// <c>/api/users/{userId}/broadcasts</c>: start one (202 with its id), see where it stands, cancel what has not gone.
/// Auth like every <c>/api/users</c> route (the token's user only).
/// </summary>
public static class BroadcastEndpoints
{
    /// <summary>10,000 numbers of up to 16 characters, a 1,600-character body escaped, 10 media URLs: well under this.</summary>
    public const int MaxRequestBytes = 512 * 1024;

    /// <summary>Recipients per part sent to the broadcast: each part stays far under the 128 KB remote frame.</summary>
    public const int PartSize = 2_000;

    public static RouteGroupBuilder MapBroadcastApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/users/{userId}/broadcasts").RequireSameUser().DescribeUserApi();
        group.MapPost("/", StartAsync).DescribeStartBroadcast();
        group.MapGet("/{broadcastId}", (string userId, string broadcastId, IRequiredActor<BroadcastRegistry> region, BroadcastOptions options, HttpContext context) =>
            AskProgressAsync(userId, broadcastId, new GetBroadcast(userId, broadcastId), region, options, context.RequestAborted)).DescribeGetBroadcast();
        group.MapDelete("/{broadcastId}", (string userId, string broadcastId, IRequiredActor<BroadcastRegistry> region, BroadcastOptions options, HttpContext context) =>
            AskProgressAsync(userId, broadcastId, new CancelBroadcast(userId, broadcastId), region, options, context.RequestAborted)).DescribeCancelBroadcast();
        return group;
    }

    private static async Task<IResult> StartAsync(HttpContext context, string userId, IRequiredActor<BroadcastRegistry> region, BroadcastOptions options)
    {
        if (!UserId.TryParse(userId, out _))
        {
            return InvalidUser();
        }

        if (!context.Request.HasJsonContentType())
        {
            return Problems.Result(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send JSON: Content-Type: application/json");
        }

        if (await ReadBodyAsync(context.Request, context.RequestAborted) is not { } body)
        {
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, "too_large", $"The body is over {MaxRequestBytes} bytes");
        }

        var parsed = BroadcastRequestParser.Parse(body);
        if (parsed is not BroadcastRequest request)
        {
            var invalid = (InvalidRequest)parsed;
            return Problems.Result(StatusCodes.Status400BadRequest, invalid.Code, invalid.Message);
        }

        var id = BroadcastIds.For(userId, request.ClientRef);
        var broadcasts = await region.GetAsync(context.RequestAborted);
        var parts = request.To.Chunk(PartSize).ToList();
        try
        {
            for (var part = 0; part < parts.Count; part++)
            {
                var reply = await broadcasts.Ask<BroadcastCreateReply>(
                    new CreateBroadcast(userId, id, request.Body, request.Media, request.ClientRef, request.To.Count, part, parts.Count, parts[part]),
                    options.AskTimeout, context.RequestAborted);
                if (reply.Existing)
                {
                    break; // a repeated clientRef: the first broadcast is the answer
                }

                if (!reply.Stored)
                {
                    return Problems.Result(StatusCodes.Status409Conflict, BroadcastErrorCodes.ClientRefConflict,
                        "Another broadcast with this clientRef and other contents is being stored; retry it as it was");
                }
            }

            // Only an indexed broadcast is resumed after a crash: 202 promises that it will finish.
            await broadcasts.Ask<BroadcastIndexed>(new BroadcastIndexCommands.Index(userId, id), options.AskTimeout, context.RequestAborted);
        }
        catch (AskTimeoutException)
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "Storage did not answer in time; retry with the same clientRef");
        }

        return Results.Json(new BroadcastAccepted(id), statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> AskProgressAsync(
        string userId, string broadcastId, IWithBroadcast query, IRequiredActor<BroadcastRegistry> region, BroadcastOptions options, CancellationToken cancellationToken)
    {
        if (!UserId.TryParse(userId, out _))
        {
            return InvalidUser();
        }

        if (!BroadcastIds.IsWellFormed(broadcastId))
        {
            return NotFound();
        }

        try
        {
            var broadcasts = await region.GetAsync(cancellationToken);
            var reply = await broadcasts.Ask<BroadcastStatusReply>(query, options.AskTimeout, cancellationToken);
            return reply.Progress is { } progress ? Results.Json(progress) : NotFound();
        }
        catch (AskTimeoutException)
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The broadcast did not answer in time");
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxRequestBytes)
            {
                return null;
            }
        }
    }

    private static IResult NotFound() =>
        Problems.Result(StatusCodes.Status404NotFound, BroadcastErrorCodes.NotFound, "No broadcast of this user has this id");

    private static IResult InvalidUser() =>
        Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidUser, "A user id is 1–64 letters, digits, '-', '_', '.' or '@'");

    /// <summary>The answer to a new broadcast (or to a repeat of its clientRef).</summary>
    public sealed record BroadcastAccepted(string BroadcastId);
}
