using System.ComponentModel;
using MessagingServer.Domain.Broadcasts;
using MessagingServer.Domain.Protocol;
using MessagingServer.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace MessagingServer.OpenApi;

/// <summary>What the OpenAPI document says about the broadcast routes.</summary>
public static class BroadcastDocumentation
{
    public static RouteHandlerBuilder DescribeStartBroadcast(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("StartBroadcast")
            .WithSummary("Send one body to many clients")
            .WithDescription("Up to 10,000 E.164 numbers (repeats removed). Each recipient gets an ordinary outbound message of the user, paced by the sender number's rate; opted-out recipients are skipped. Progress streams as `broadcast` events. A known clientRef answers the first broadcast's id and starts nothing.")
            .WithMetadata(new RequestBodyDocument(typeof(StartBroadcastRequest), "application/json"))
            .Produces<Broadcasts.BroadcastEndpoints.BroadcastAccepted>(Status202Accepted)
            .ProducesProblemCodes(Status400BadRequest,
                ErrorCodes.InvalidJson, ErrorCodes.MissingField, ErrorCodes.InvalidField, ErrorCodes.DuplicateField, ErrorCodes.InvalidTo,
                ErrorCodes.EmptyBody, ErrorCodes.BodyTooLong, BroadcastErrorCodes.NoRecipients, BroadcastErrorCodes.TooManyRecipients,
                BroadcastErrorCodes.InvalidMedia, ErrorCodes.InvalidUser)
            .Problems()
            .ProducesProblemCodes(Status409Conflict, BroadcastErrorCodes.ClientRefConflict)
            .ProducesProblemCodes(Status413PayloadTooLarge, "too_large")
            .ProducesProblemCodes(Status415UnsupportedMediaType, "unsupported_media_type");

    public static RouteHandlerBuilder DescribeGetBroadcast(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("GetBroadcast")
            .WithSummary("Where a broadcast stands")
            .Produces<BroadcastProgress>(Status200OK)
            .ProducesProblemCodes(Status400BadRequest, ErrorCodes.InvalidUser)
            .ProducesProblemCodes(Status404NotFound, BroadcastErrorCodes.NotFound)
            .Problems();

    public static RouteHandlerBuilder DescribeCancelBroadcast(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("CancelBroadcast")
            .WithSummary("Cancel what has not gone yet")
            .WithDescription("Recipients not yet handed to the session are counted as cancelled; answers the progress. Cancelling again changes nothing.")
            .Produces<BroadcastProgress>(Status200OK)
            .ProducesProblemCodes(Status400BadRequest, ErrorCodes.InvalidUser)
            .ProducesProblemCodes(Status404NotFound, BroadcastErrorCodes.NotFound)
            .Problems();

    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblemCodes(Status401Unauthorized, SecurityProblems.Unauthorized)
            .ProducesProblemCodes(Status403Forbidden, SecurityProblems.Forbidden)
            .ProducesProblemCodes(Status503ServiceUnavailable, ErrorCodes.Unavailable);
}

/// <summary>The body of <c>POST /api/users/{userId}/broadcasts</c>.</summary>
public sealed record StartBroadcastRequest(
    [property: Description("1–10,000 E.164 numbers; repeats are removed")] IReadOnlyList<string> To,
    [property: Description("1–1600 characters (may be empty with media)")] string Body,
    [property: Description("Up to 10 https URLs (MMS)")] IReadOnlyList<string>? Media = null,
    [property: Description("Idempotency key, 1–128 characters: a known one answers the first broadcast")] string? ClientRef = null);
