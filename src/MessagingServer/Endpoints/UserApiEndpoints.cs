using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using MessagingServer.Domain;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.OpenApi;
using MessagingServer.Security;
using MessagingServer.Sessions;

namespace MessagingServer.Endpoints;

/// <summary>
/// <c>/api/users/{userId}/...</c>: send without a socket, read the stored history and the per-client
/// conversations. Everything goes through the user's session, like the socket does.
/// </summary>
public static class UserApiEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    // Room for a 1,600-character body and ten 2,048-character media URLs, escaped.
    private const int MaxBodyBytes = 48 * 1024;

    public static RouteGroupBuilder MapUserApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/users/{userId}").RequireSameUser().DescribeUserApi();
        group.MapPost("/messages", SendAsync).DescribeSendMessage();
        group.MapGet("/messages", HistoryAsync).DescribeHistory();
        group.MapGet("/conversations", ConversationsAsync).DescribeConversations();
        group.MapConversationHistory();
        return group;
    }

    private static async Task<IResult> SendAsync(
        HttpContext context, string userId, IRequiredActor<ChatSessionRegistry> registry, ChatSessionOptions options)
    {
        if (!UserId.TryParse(userId, out _))
        {
            return InvalidUser();
        }

        if (!context.Request.HasJsonContentType())
        {
            return Problems.Result(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send JSON: Content-Type: application/json");
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, "too_large", $"The body is over {MaxBodyBytes} bytes");
        }

        switch (ClientRequestParser.ParseSend(body))
        {
            case InvalidRequest invalid:
                return Problems.Result(StatusCodes.Status400BadRequest, invalid.Code, invalid.Message);
            case SendRequest send:
                var sessions = await registry.GetAsync(context.RequestAborted);
                var result = await sessions.AskOrAsync<SendResult>(
                    new ChatSessionCommands.Send(userId, send.To.Value, send.Body, send.ClientRef, Observability.Telemetry.CorrelationIdOf(System.Diagnostics.Activity.Current), send.Media),
                    options.SessionAskTimeout,
                    new SendResult.Rejected(ErrorCodes.Unavailable, "storage or the session is unavailable; nothing was sent", send.ClientRef),
                    context.RequestAborted);

                return result switch
                {
                    SendResult.Accepted accepted => Results.Json(new SendAccepted(accepted.Id, accepted.Seq), statusCode: StatusCodes.Status202Accepted),
                    SendResult.Rejected { Code: ErrorCodes.Unavailable } rejected => Problems.Result(StatusCodes.Status503ServiceUnavailable, rejected.Code, rejected.Message),
                    // Over the user's send rate, counted by the user's session for every node together.
                    SendResult.Rejected { Code: ErrorCodes.RateLimited } rejected => Problems.Result(StatusCodes.Status429TooManyRequests, rejected.Code, "Too many sends; slow down and retry shortly"),
                    SendResult.Rejected rejected => Problems.Result(StatusCodes.Status409Conflict, rejected.Code, rejected.Message),
                    _ => throw new InvalidOperationException(result.GetType().Name),
                };
            default:
                return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.UnknownType, "Only sends are accepted here");
        }
    }

    /// <summary>
    /// The events after <c>since</c>, oldest first, however old: from the session's memory when the page starts there,
    /// else from the journal, up to what the session had stored when asked.
    /// </summary>
    private static async Task<IResult> HistoryAsync(
        HttpContext context, string userId, IRequiredActor<ChatSessionRegistry> registry, ChatSessionOptions options, StoredEvents stored, IMaterializer materializer)
    {
        if (!UserId.TryParse(userId, out _))
        {
            return InvalidUser();
        }

        if (!TryQuery(context, "since", 0, long.MaxValue, 0, out var since) || !TryQuery(context, "limit", 1, MaxLimit, DefaultLimit, out var limit))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"'since' must be a non-negative integer and 'limit' 1–{MaxLimit}");
        }

        var sessions = await registry.GetAsync(context.RequestAborted);
        var read = await HistoryPages.ReadAsync(sessions, userId, since, (int)limit, options.SessionAskTimeout, context.RequestAborted);
        if (read is null)
        {
            return Unavailable();
        }

        var events = read.Events;
        if (read.JournalAfter is { } after)
        {
            try
            {
                events = [.. events, .. await stored.After(userId, after)
                    .TakeWhile(e => e.Seq <= read.LastSeq)
                    .Take(limit - events.Count)
                    .CompletionTimeout(options.SessionAskTimeout)
                    .RunWith(Sink.Seq<ISequencedEvent>(), materializer)
                    .WaitAsync(context.RequestAborted)];
            }
            catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                return Problems.Result(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The stored history could not be read; retry shortly");
            }
        }

        return new RawJsonResult(writer =>
        {
            writer.WriteStartArray();
            foreach (var e in events)
            {
                writer.WriteRawValue(ServerFrames.Event(e), skipInputValidation: true);
            }

            writer.WriteEndArray();
        });
    }

    private static async Task<IResult> ConversationsAsync(HttpContext context, string userId, IRequiredActor<ChatSessionRegistry> registry, ChatSessionOptions options)
    {
        if (!UserId.TryParse(userId, out _))
        {
            return InvalidUser();
        }

        // The session answers in pages that each fit one remote message; the caller gets them all, newest first.
        var rows = new List<Domain.Sessions.ConversationSummary>();
        var before = long.MaxValue;
        while (true)
        {
            var list = await AskAsync<ConversationList>(registry, new ChatSessionCommands.GetConversations(userId, before), options, context.RequestAborted);
            if (list is null)
            {
                return Unavailable();
            }

            rows.AddRange(list.Conversations);
            if (list.Complete || list.Conversations.Count == 0)
            {
                break;
            }

            before = list.Conversations[^1].LastEvent.Seq;
        }

        return new RawJsonResult(writer =>
        {
            writer.WriteStartArray();
            foreach (var c in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("clientNumber", c.ClientNumber);
                writer.WritePropertyName("lastMessage");
                writer.WriteRawValue(ServerFrames.Event(c.LastEvent), skipInputValidation: true);
                writer.WriteNumber("unreadCount", c.UnreadCount);
                if (c.LastStatus is { } status)
                {
                    writer.WriteString("lastStatus", Domain.Messages.MessageStatusExtensions.ToWire(status));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private static async Task<T?> AskAsync<T>(IRequiredActor<ChatSessionRegistry> registry, IWithUserId query, ChatSessionOptions options, CancellationToken cancellationToken)
        where T : class
    {
        var sessions = await registry.GetAsync(cancellationToken);
        return await sessions.AskOrAsync<T?>(query, options.SessionAskTimeout, null, cancellationToken);
    }

    private static bool TryQuery(HttpContext context, string name, long min, long max, long fallback, out long value)
    {
        value = fallback;
        if (!context.Request.Query.TryGetValue(name, out var text))
        {
            return true;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                return null;
            }
        }
    }

    private static IResult InvalidUser() =>
        Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidUser, "A user id is 1–64 letters, digits, '-', '_', '.' or '@'");

    private static IResult Unavailable() =>
        Problems.Result(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The session did not answer in time");

    /// <summary>The REST answer to a send: the stored event's id and seq.</summary>
    public sealed record SendAccepted(string Id, long Seq);

    /// <summary>A JSON body written straight from already-serialized frames.</summary>
    private sealed class RawJsonResult(Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter))
            {
                write(writer);
            }

            await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
        }
    }
}
