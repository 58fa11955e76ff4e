using System.Text.Json;

namespace MessagingServer.Domain.Protocol;

/// <summary>
/// Parses one text frame. Never throws: anything that is not a valid request becomes an
/// <see cref="InvalidRequest"/> with a stable code and a message a developer can act on.
/// </summary>
public static partial class ClientRequestParser
{
    public const int MaxBodyLength = 1600;
    public const int MaxClientRefLength = 128;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses a frame of the socket protocol.</summary>
    public static ClientRequest Parse(ReadOnlySpan<byte> utf8) => Parse(utf8, impliedType: null);

    /// <summary>Parses a REST send body: the same fields as a <c>send</c> frame, <c>type</c> optional.</summary>
    public static ClientRequest ParseSend(ReadOnlySpan<byte> utf8) => Parse(utf8, impliedType: "send");

    private static ClientRequest Parse(ReadOnlySpan<byte> utf8, string? impliedType)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return new InvalidRequest(ErrorCodes.InvalidJson, "the frame is not valid UTF-8");
        }

        Fields fields;
        try
        {
            if (!TryReadFields(utf8, out fields, out var problem))
            {
                return problem;
            }
        }
        catch (JsonException e)
        {
            return new InvalidRequest(ErrorCodes.InvalidJson, $"the frame is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            return new InvalidRequest(ErrorCodes.InvalidJson, $"the frame is not valid JSON: {e.Message}");
        }

        return (fields.Type ?? impliedType) switch
        {
            null => new InvalidRequest(ErrorCodes.MissingField, "'type' is required", fields.ClientRef),
            "send" => ToSend(fields),
            "ack" => fields.Seq is { } seq
                ? seq >= 0 ? new AckRequest(seq) : new InvalidRequest(ErrorCodes.InvalidField, "'seq' must not be negative")
                : new InvalidRequest(ErrorCodes.MissingField, "'ack' needs a numeric 'seq'"),
            "ping" => PingRequest.Instance,
            { } unknown => new InvalidRequest(ErrorCodes.UnknownType, $"unknown type '{Truncate(unknown)}'; expected send, ack or ping", fields.ClientRef),
        };
    }

    private static ClientRequest ToSend(Fields f)
    {
        if (f.ClientRefInvalid)
        {
            return new InvalidRequest(ErrorCodes.InvalidField, $"'clientRef' must be a string of 1–{MaxClientRefLength} characters");
        }

        if (f.To is null)
        {
            return new InvalidRequest(ErrorCodes.MissingField, "'send' needs 'to'", f.ClientRef);
        }

        if (!PhoneNumber.TryParse(f.To, out var to))
        {
            return new InvalidRequest(ErrorCodes.InvalidTo, "'to' must be an E.164 number: '+' and 8 to 15 digits", f.ClientRef);
        }

        if (f.MediaProblem is not null)
        {
            return new InvalidRequest(ErrorCodes.InvalidMedia, f.MediaProblem, f.ClientRef);
        }

        // With media (MMS) the body may be empty or left out; without, it is required as before.
        var body = f.Body ?? (f.Media is null ? null : "");
        if (body is null)
        {
            return new InvalidRequest(ErrorCodes.MissingField, "'send' needs 'body'", f.ClientRef);
        }

        if (BodyText.FirstForbidden(body) is { } forbidden)
        {
            return new InvalidRequest(ErrorCodes.InvalidField, $"'body' holds the control character U+{(int)forbidden:X4}; only tab and line breaks are allowed", f.ClientRef);
        }

        if (f.Media is null && !BodyText.HasVisibleText(body))
        {
            return new InvalidRequest(ErrorCodes.EmptyBody, "'body' must not be empty without 'media' (spaces and zero-width characters alone count as empty)", f.ClientRef);
        }

        if (body.Length > MaxBodyLength)
        {
            return new InvalidRequest(ErrorCodes.BodyTooLong, $"'body' has {body.Length} characters; the limit is {MaxBodyLength}", f.ClientRef);
        }

        return new SendRequest(to, body, f.ClientRef, f.Media);
    }

    private static bool TryReadFields(ReadOnlySpan<byte> utf8, out Fields fields, out InvalidRequest problem)
    {
        fields = default;
        problem = null!;
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            problem = new InvalidRequest(ErrorCodes.InvalidJson, "a frame must be one JSON object");
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("type"u8) ? 1
                : reader.ValueTextEquals("to"u8) ? 2
                : reader.ValueTextEquals("body"u8) ? 4
                : reader.ValueTextEquals("clientRef"u8) ? 8
                : reader.ValueTextEquals("seq"u8) ? 16
                : reader.ValueTextEquals("media"u8) ? 32
                : 0;
            var name = field == 0 ? null : reader.GetString();
            if ((seen & field) != 0)
            {
                problem = new InvalidRequest(ErrorCodes.DuplicateField, $"'{name}' appears more than once");
                return false;
            }

            seen |= field;
            reader.Read();
            switch (field)
            {
                case 1:
                    fields.Type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (fields.Type is null)
                    {
                        problem = new InvalidRequest(ErrorCodes.InvalidField, "'type' must be a string");
                        return false;
                    }

                    break;
                case 2:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        problem = new InvalidRequest(ErrorCodes.InvalidField, "'to' must be a string");
                        return false;
                    }

                    fields.To = reader.GetString();
                    break;
                case 4:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        problem = new InvalidRequest(ErrorCodes.InvalidField, "'body' must be a string");
                        return false;
                    }

                    fields.Body = reader.GetString();
                    break;
                case 8:
                    if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 and <= MaxClientRefLength } clientRef)
                    {
                        fields.ClientRef = clientRef;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        fields.ClientRefInvalid = true;
                    }

                    break;
                case 16:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var seq))
                    {
                        problem = new InvalidRequest(ErrorCodes.InvalidField, "'seq' must be a whole number");
                        return false;
                    }

                    fields.Seq = seq;
                    break;
                case 32:
                    ReadMedia(ref reader, ref fields);
                    break;
            }

            // Objects and arrays are skipped whole: unknown fields are ignored, known ones were refused above.
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            problem = new InvalidRequest(ErrorCodes.InvalidJson, "a frame must be exactly one JSON object");
            return false;
        }

        return true;
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";

    private struct Fields
    {
        public string? Type;
        public string? To;
        public string? Body;
        public string? ClientRef;
        public bool ClientRefInvalid;
        public long? Seq;
        public IReadOnlyList<string>? Media;
        public string? MediaProblem;
    }
}
