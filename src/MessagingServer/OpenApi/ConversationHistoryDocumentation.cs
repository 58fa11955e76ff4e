using MessagingServer.Domain.Protocol;
using MessagingServer.Endpoints;
using MessagingServer.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace MessagingServer.OpenApi;

/// <summary>What the OpenAPI document says about <see cref="ConversationHistoryEndpoint"/>.</summary>
public static class ConversationHistoryDocumentation
{
    public static RouteHandlerBuilder DescribeConversationHistory(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("GetConversationMessages")
            .WithSummary("One conversation's events, newest page first")
            .WithDescription("The messages from `clientNumber` (E.164), the outbound messages to it and their status events, from the whole journal: "
                + $"the `limit` (default {ConversationHistoryEndpoint.DefaultLimit}, at most {ConversationHistoryEndpoint.MaxLimit}) with the highest seq below `before` "
                + "(default: no bound), newest first. Pass the last event's seq as the next `before`; a page shorter than `limit` reaches the start.")
            .WithMetadata(new QueryParameter("before", "Only events with a lower seq (a positive integer)"))
            .WithMetadata(new QueryParameter("limit", $"At most this many events (1–{ConversationHistoryEndpoint.MaxLimit})"))
            .Produces<IReadOnlyList<StoredEventSchema>>(Status200OK)
            .ProducesProblemCodes(Status400BadRequest, ErrorCodes.InvalidUser, ConversationHistoryEndpoint.InvalidClientNumber, ErrorCodes.InvalidCursor, ErrorCodes.InvalidField)
            .ProducesProblemCodes(Status401Unauthorized, SecurityProblems.Unauthorized)
            .ProducesProblemCodes(Status403Forbidden, SecurityProblems.Forbidden)
            .ProducesProblemCodes(Status503ServiceUnavailable, ErrorCodes.Unavailable);
}
