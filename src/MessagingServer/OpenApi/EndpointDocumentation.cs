using MessagingServer.Domain.Protocol;
using MessagingServer.Security;
using MessagingServer.Twilio;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace MessagingServer.OpenApi;

/// <summary>
/// What the OpenAPI document says about each endpoint: names, schemas, status and problem codes. Kept apart from
/// the endpoints' code, which calls one method per route.
/// </summary>
public static class EndpointDocumentation
{
    public const string UserApiTag = "User API";
    public const string TwilioTag = "Twilio webhooks";

    private static readonly string[] SendValidationCodes =
    [
        ErrorCodes.InvalidJson, ErrorCodes.MissingField, ErrorCodes.InvalidField, ErrorCodes.DuplicateField,
        ErrorCodes.InvalidTo, ErrorCodes.EmptyBody, ErrorCodes.BodyTooLong, ErrorCodes.InvalidMedia, ErrorCodes.UnknownType, ErrorCodes.InvalidUser,
    ];

    public static RouteGroupBuilder DescribeUserApi(this RouteGroupBuilder group) =>
        group.WithTags(UserApiTag);

    public static RouteHandlerBuilder DescribeSendMessage(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("SendMessage")
            .WithSummary("Send an SMS (or an MMS with media) without a socket")
            .WithDescription("Stores an outbound event and hands the SMS to the provider (media as Twilio MediaUrl fields); every socket of the user sees the event. A known clientRef sends nothing new and answers with the first message's id and seq.")
            .WithRequestBody<SendMessageRequest>("application/json")
            .Produces<Endpoints.UserApiEndpoints.SendAccepted>(Status202Accepted)
            .ProducesProblemCodes(Status400BadRequest, SendValidationCodes)
            .UserProblems()
            .ProducesProblemCodes(Status409Conflict, ErrorCodes.OptedOut)
            .ProducesProblemCodes(Status413PayloadTooLarge, "too_large")
            .ProducesProblemCodes(Status415UnsupportedMediaType, "unsupported_media_type")
            .ProducesProblemCodes(Status429TooManyRequests, ErrorCodes.RateLimited)
            .ProducesProblemCodes(Status503ServiceUnavailable, ErrorCodes.Unavailable);

    public static RouteHandlerBuilder DescribeHistory(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("GetHistory")
            .WithSummary("The user's stored events, oldest first")
            .WithDescription("Events after `since` (default 0), at most `limit` (default 100, at most 1000), from the whole journal. Page by passing the last seq as the next since.")
            .WithQuery("since", "The seq after which to start (a non-negative integer)")
            .WithQuery("limit", "At most this many events (1–1000)")
            .Produces<IReadOnlyList<StoredEventSchema>>(Status200OK)
            .ProducesProblemCodes(Status400BadRequest, ErrorCodes.InvalidField, ErrorCodes.InvalidUser)
            .UserProblems()
            .ProducesProblemCodes(Status503ServiceUnavailable, ErrorCodes.Unavailable);

    public static RouteHandlerBuilder DescribeConversations(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("GetConversations")
            .WithSummary("One row per client number, newest activity first")
            .Produces<IReadOnlyList<ConversationSchema>>(Status200OK)
            .ProducesProblemCodes(Status400BadRequest, ErrorCodes.InvalidUser)
            .UserProblems()
            .ProducesProblemCodes(Status503ServiceUnavailable, ErrorCodes.Unavailable);

    public static RouteGroupBuilder DescribeTwilioWebhooks(this RouteGroupBuilder group) =>
        group.WithTags(TwilioTag);

    public static RouteHandlerBuilder DescribeInboundSmsWebhook(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("TwilioInboundSms")
            .WithSummary("Twilio webhook: an inbound SMS")
            .WithDescription("Called by Twilio, not by apps: set it as the number's messaging webhook. Answered 200 with empty TwiML only once the message is stored; a repeated MessageSid is answered 200 and delivered once.")
            .WithRequestBody<TwilioInboundSmsForm>("application/x-www-form-urlencoded")
            .Produces<string>(Status200OK, "text/xml")
            .WebhookProblems();

    public static RouteHandlerBuilder DescribeStatusWebhook(this RouteHandlerBuilder endpoint) =>
        endpoint.WithName("TwilioStatusCallback")
            .WithSummary("Twilio webhook: a delivery report")
            .WithDescription("Called by Twilio, not by apps: the StatusCallback of every send. Answered 200 once the status event is stored.")
            .WithRequestBody<TwilioStatusForm>("application/x-www-form-urlencoded")
            .Produces(Status200OK)
            .WebhookProblems();

    private static RouteHandlerBuilder UserProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblemCodes(Status401Unauthorized, SecurityProblems.Unauthorized)
            .ProducesProblemCodes(Status403Forbidden, SecurityProblems.Forbidden);

    private static RouteHandlerBuilder WebhookProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new TwilioWebhook("Twilio:AuthToken"))
            .ProducesProblemCodes(Status400BadRequest, ErrorCodes.InvalidField, ErrorCodes.MissingField, ErrorCodes.BodyTooLong)
            .ProducesProblemCodes(Status403Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode, TwilioWebhookEndpoints.WrongAccountCode)
            .ProducesProblemCodes(Status404NotFound, TwilioWebhookEndpoints.NotConfiguredCode)
            .ProducesProblemCodes(Status413PayloadTooLarge, TwilioWebhookEndpoints.FormTooLargeCode)
            .ProducesProblemCodes(Status415UnsupportedMediaType, TwilioWebhookEndpoints.UnsupportedMediaTypeCode)
            .ProducesProblemCodes(Status503ServiceUnavailable, ErrorCodes.Unavailable);

    /// <summary>A query parameter the handler reads itself (so the API explorer cannot see it).</summary>
    /// <summary>
    /// Documents the body without <c>Accepts</c>: its metadata makes routing answer a wrong Content-Type with a bare
    /// 415 before the endpoint runs, and the endpoints answer that themselves with a problem and its code.
    /// </summary>
    private static RouteHandlerBuilder WithRequestBody<T>(this RouteHandlerBuilder endpoint, string contentType) =>
        endpoint.WithMetadata(new RequestBodyDocument(typeof(T), contentType));

    private static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder endpoint, string name, string description) =>
        endpoint.WithMetadata(new QueryParameter(name, description));
}

/// <summary>Endpoint metadata: a query parameter read from <c>HttpContext</c>, documented as an integer.</summary>
public sealed record QueryParameter(string Name, string Description);

/// <summary>The request body an endpoint reads itself, for the document only (routing does not check it).</summary>
public sealed record RequestBodyDocument(Type Type, string ContentType);
