using System.Text.Json;
using MessagingServer.Domain.Protocol;

namespace MessagingServer.Domain.Broadcasts;

/// <summary>
/// Parses <c>POST /api/users/{userId}/broadcasts</c>: <c>{to: [E.164...], body, media?, clientRef?}</c>. Never throws:
/// anything else is an <see cref="InvalidRequest"/> with a stable code. Each number is checked like a send's <c>to</c>,
/// the body like a send's body; repeated numbers are removed (the first one counts).
/// </summary>
public static class BroadcastRequestParser
{
    public const int MaxRecipients = 10_000;
    public const int MaxMedia = 10;
    public const int MaxMediaUrlLength = 2048;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>A <see cref="BroadcastRequest"/>, or an <see cref="InvalidRequest"/> saying what is wrong.</summary>
    public static object Parse(ReadOnlySpan<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return new InvalidRequest(ErrorCodes.InvalidJson, "the body is not valid UTF-8");
        }

        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? FromObject(document.RootElement)
                : new InvalidRequest(ErrorCodes.InvalidJson, "the body must be one JSON object");
        }
        catch (JsonException e)
        {
            return new InvalidRequest(ErrorCodes.InvalidJson, $"the body is not valid JSON: {e.Message}");
        }
    }

    private static object FromObject(JsonElement root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return new InvalidRequest(ErrorCodes.DuplicateField, $"'{Truncate(property.Name)}' appears more than once");
            }
        }

        string? clientRef = null;
        if (root.TryGetProperty("clientRef", out var refElement) && refElement.ValueKind != JsonValueKind.Null)
        {
            if (refElement.ValueKind != JsonValueKind.String || refElement.GetString() is not { Length: > 0 and <= ClientRequestParser.MaxClientRefLength } text)
            {
                return new InvalidRequest(ErrorCodes.InvalidField, $"'clientRef' must be a string of 1–{ClientRequestParser.MaxClientRefLength} characters");
            }

            clientRef = text;
        }

        if (!root.TryGetProperty("to", out var toElement))
        {
            return new InvalidRequest(ErrorCodes.MissingField, "a broadcast needs 'to', a list of E.164 numbers", clientRef);
        }

        if (Recipients(toElement) is not { } to)
        {
            return RecipientsProblem(toElement, clientRef);
        }

        var media = Media(root, out var mediaProblem);
        if (mediaProblem is not null)
        {
            return mediaProblem with { ClientRef = clientRef };
        }

        if (!root.TryGetProperty("body", out var bodyElement))
        {
            return new InvalidRequest(ErrorCodes.MissingField, "a broadcast needs 'body'", clientRef);
        }

        if (bodyElement.ValueKind != JsonValueKind.String)
        {
            return new InvalidRequest(ErrorCodes.InvalidField, "'body' must be a string", clientRef);
        }

        var body = bodyElement.GetString()!;
        if (BodyText.FirstForbidden(body) is { } forbidden)
        {
            return new InvalidRequest(ErrorCodes.InvalidField, $"'body' holds the control character U+{(int)forbidden:X4}; only tab and line breaks are allowed", clientRef);
        }

        if (media.Count == 0 && !BodyText.HasVisibleText(body))
        {
            return new InvalidRequest(ErrorCodes.EmptyBody, "'body' must not be empty (spaces and zero-width characters alone count as empty)", clientRef);
        }

        if (body.Length > ClientRequestParser.MaxBodyLength)
        {
            return new InvalidRequest(ErrorCodes.BodyTooLong, $"'body' has {body.Length} characters; the limit is {ClientRequestParser.MaxBodyLength}", clientRef);
        }

        return new BroadcastRequest(to, body, media, clientRef);
    }

    /// <summary>The distinct numbers in order, or null when the list is not a valid one (<see cref="RecipientsProblem"/> says why).</summary>
    private static List<string>? Recipients(JsonElement to)
    {
        if (to.ValueKind != JsonValueKind.Array || to.GetArrayLength() is 0 or > MaxRecipients)
        {
            return null;
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<string>(to.GetArrayLength());
        foreach (var item in to.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !PhoneNumber.TryParse(item.GetString(), out var number))
            {
                return null;
            }

            if (distinct.Add(number.Value))
            {
                ordered.Add(number.Value);
            }
        }

        return ordered;
    }

    private static InvalidRequest RecipientsProblem(JsonElement to, string? clientRef)
    {
        if (to.ValueKind != JsonValueKind.Array)
        {
            return new InvalidRequest(ErrorCodes.InvalidField, "'to' must be a list of E.164 numbers", clientRef);
        }

        var count = to.GetArrayLength();
        if (count == 0)
        {
            return new InvalidRequest(BroadcastErrorCodes.NoRecipients, "'to' must hold at least one number", clientRef);
        }

        if (count > MaxRecipients)
        {
            return new InvalidRequest(BroadcastErrorCodes.TooManyRecipients, $"'to' holds {count} numbers; the limit is {MaxRecipients}", clientRef);
        }

        var index = 0;
        foreach (var item in to.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !PhoneNumber.TryParse(item.GetString(), out _))
            {
                break;
            }

            index++;
        }

        return new InvalidRequest(ErrorCodes.InvalidTo, $"'to[{index}]' must be an E.164 number: '+' and 8 to 15 digits; nothing was sent", clientRef);
    }

    /// <summary>
    /// The media URLs (none when absent): up to <see cref="MaxMedia"/> absolute https URLs of at most
    /// <see cref="MaxMediaUrlLength"/> characters. The same rule as a send's media (issue 16, MMS).
    /// </summary>
    public static IReadOnlyList<string> Media(JsonElement root, out InvalidRequest? problem)
    {
        problem = null;
        if (!root.TryGetProperty("media", out var media) || media.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (media.ValueKind != JsonValueKind.Array || media.GetArrayLength() > MaxMedia)
        {
            problem = new InvalidRequest(BroadcastErrorCodes.InvalidMedia, $"'media' must be a list of at most {MaxMedia} https URLs");
            return [];
        }

        var urls = new List<string>(media.GetArrayLength());
        foreach (var item in media.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (text is null || text.Length > MaxMediaUrlLength
                || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
            {
                problem = new InvalidRequest(BroadcastErrorCodes.InvalidMedia, $"'media[{urls.Count}]' must be an https URL of at most {MaxMediaUrlLength} characters");
                return [];
            }

            urls.Add(text);
        }

        return urls;
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
