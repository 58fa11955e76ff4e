using System.ComponentModel;
using System.Text.Json.Serialization;

namespace MessagingServer.OpenApi;

// The shapes of the JSON the user API reads and writes, for the OpenAPI document only: the endpoints read and
// write these bodies themselves (the events byte for byte as on the socket), so these records document them.

/// <summary>The body of <c>POST /api/users/{userId}/messages</c>.</summary>
public sealed record SendMessageRequest(
    [property: Description("E.164: + and 8 to 15 digits")] string To,
    [property: Description("1–1600 characters; may be empty (or left out) when media is given")] string Body,
    [property: Description("Idempotency key, 1–128 characters: a known one sends nothing new and answers with the first message")] string? ClientRef = null,
    [property: Description("MMS: up to 10 distinct absolute https:// URLs, each at most 2,048 printable ASCII characters (invalid_media otherwise)")]
    IReadOnlyList<string>? Media = null);

/// <summary>A stored event of the user, the same shape as on the socket (docs/schemas/).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageEventSchema), "message")]
[JsonDerivedType(typeof(OutboundEventSchema), "outbound")]
[JsonDerivedType(typeof(StatusEventSchema), "status")]
public abstract record StoredEventSchema(
    [property: Description("The user's event number")] long Seq,
    [property: Description("The message id")] string Id,
    [property: Description("UTC, ISO 8601 with milliseconds")] string At);

/// <summary>An inbound SMS.</summary>
public sealed record MessageEventSchema(long Seq, string Id, string At, string From, string To, string Body, IReadOnlyList<string> Media)
    : StoredEventSchema(Seq, Id, At);

/// <summary>A message the user sent.</summary>
public sealed record OutboundEventSchema(
    long Seq, string Id, string At, string? ClientRef, string From, string To, string Body,
    [property: Description("queued, sent, delivered, undelivered or failed")] string Status,
    [property: Description("GSM-7 or UCS-2")] string Encoding,
    int Segments,
    [property: Description("MMS only: the media URLs, in the order sent")] IReadOnlyList<string>? Media = null)
    : StoredEventSchema(Seq, Id, At);

/// <summary>Delivery progress of an outbound message.</summary>
public sealed record StatusEventSchema(long Seq, string Id, string At, string Status, DeliveryErrorSchema? Error = null)
    : StoredEventSchema(Seq, Id, At);

public sealed record DeliveryErrorSchema(string Code, string Message);

/// <summary>One row of <c>GET /api/users/{userId}/conversations</c>.</summary>
public sealed record ConversationSchema(
    string ClientNumber,
    StoredEventSchema LastMessage,
    [property: Description("Inbound messages after the user's acked cursor")] int UnreadCount,
    string? LastStatus = null);

/// <summary>The form Twilio posts to <c>/twilio/sms</c> (the fields the server reads; Twilio sends more).</summary>
public sealed record TwilioInboundSmsForm(string MessageSid, string AccountSid, string From, string To, string? Body = null, int? NumMedia = null, string? MediaUrl0 = null);

/// <summary>The form Twilio posts to <c>/twilio/status</c>.</summary>
public sealed record TwilioStatusForm(string MessageSid, string AccountSid, string MessageStatus, string? ErrorCode = null, string? ErrorMessage = null);
