using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using MessagingServer.Domain;
using MessagingServer.Domain.Protocol;
using MessagingServer.Domain.Sessions;
using MessagingServer.OpenApi;
using MessagingServer.Sessions;

namespace MessagingServer.Endpoints;

/// <summary>
/// <c>GET /api/users/{userId}/conversations/{clientNumber}/messages?before=SEQ&amp;limit=N</c>: one conversation's
/// events (messages from the client, outbound messages to it and their status events), newest page first and newest
/// first within the page, read from the whole journal. The last event's seq is the next page's <c>before</c>; a page
/// shorter than <c>limit</c> reaches the conversation's start. A page costs about the events between it and
/// <c>before</c>, not the user's whole history.
/// </summary>
public static class ConversationHistoryEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const string InvalidClientNumber = "invalid_client_number";

    /// <summary>The first window read for a page: this many events of the user's stream per event asked for.</summary>
    public const long InitialWindowPerEvent = 8;

    public static RouteGroupBuilder MapConversationHistory(this RouteGroupBuilder group)
    {
        group.MapGet("/conversations/{clientNumber}/messages", ReadAsync).DescribeConversationHistory();
        return group;
    }

    private static async Task<IResult> ReadAsync(
        HttpContext context, string userId, string clientNumber, IRequiredActor<ChatSessionRegistry> sessions, ChatSessionOptions options,
        StoredEvents stored, IMaterializer materializer)
    {
        if (!UserId.TryParse(userId, out _))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidUser, "A user id is 1–64 letters, digits, '-', '_', '.' or '@'");
        }

        if (!PhoneNumber.TryParse(clientNumber, out var number))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, InvalidClientNumber, "The client number must be E.164: '+' and 8 to 15 digits (%2B for '+' is fine)");
        }

        if (!TryQuery(context, "before", 1, long.MaxValue, long.MaxValue, out var before))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor, "'before' must be a positive integer: the seq of the oldest event you have");
        }

        if (!TryQuery(context, "limit", 1, MaxLimit, DefaultLimit, out var limit))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"'limit' must be an integer from 1 to {MaxLimit}");
        }

        // The journal holds every stored event however old (the session's memory only the newest). A page is read from a
        // window just below 'before' that grows backward (x4) until it decides the page, not from the stream's start.
        ConversationPage page;
        try
        {
            var registry = await sessions.GetAsync(context.RequestAborted);
            var end = before != long.MaxValue ? before
                : await registry.AskOrAsync<SessionInfo?>(new ChatSessionCommands.GetSessionInfo(userId), options.SessionAskTimeout, null, context.RequestAborted) is { } info
                    ? info.LastSeq + 1
                    : throw new TimeoutException("the session did not answer");
            var window = limit * InitialWindowPerEvent;
            while (true)
            {
                var start = Math.Max(1, end - window);
                page = new ConversationPage(number.Value, before, (int)limit);
                await stored.After(userId, start - 1)
                    .TakeWhile(e => e.Seq < before)
                    .CompletionTimeout(options.SessionAskTimeout * 3)
                    .RunForeach(page.Add, materializer)
                    .WaitAsync(context.RequestAborted);
                if (page.IsWhole(start))
                {
                    break;
                }

                window *= 4;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The stored history could not be read; retry shortly");
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var e in page.NewestFirst())
            {
                writer.WriteRawValue(ServerFrames.Event(e), skipInputValidation: true);
            }

            writer.WriteEndArray();
        }

        return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json; charset=utf-8");
    }

    private static bool TryQuery(HttpContext context, string name, long min, long max, long fallback, out long value)
    {
        value = fallback;
        if (!context.Request.Query.TryGetValue(name, out var text))
        {
            return true;
        }

        return text.Count == 1 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
