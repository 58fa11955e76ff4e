using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MessagingServer.Bench.Baselines;

/// <summary>The server's frame shapes (docs/protocol.md), written the same way, so both sides move the same bytes.</summary>
public static class BaselineFrames
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string NewId() => "m" + Guid.CreateVersion7().ToString("N");

    public static byte[] Welcome(string userId, long lastSeq, long resumeFrom) => Write(w =>
    {
        w.WriteString("type"u8, "welcome"u8);
        w.WriteString("userId"u8, userId);
        w.WriteNumber("lastSeq"u8, lastSeq);
        w.WriteNumber("resumeFrom"u8, resumeFrom);
    });

    public static byte[] Outbound(long seq, string id, string? clientRef, string from, string to, string body, string status) => Write(w =>
    {
        w.WriteString("type"u8, "outbound"u8);
        w.WriteNumber("seq"u8, seq);
        w.WriteString("id"u8, id);
        if (clientRef is not null)
        {
            w.WriteString("clientRef"u8, clientRef);
        }

        w.WriteString("from"u8, from);
        w.WriteString("to"u8, to);
        w.WriteString("body"u8, body);
        w.WriteString("at"u8, Now());
        w.WriteString("status"u8, status);
        w.WriteString("encoding"u8, "GSM-7"u8);
        w.WriteNumber("segments"u8, 1);
    });

    public static byte[] Status(long seq, string id, string status) => Write(w =>
    {
        w.WriteString("type"u8, "status"u8);
        w.WriteNumber("seq"u8, seq);
        w.WriteString("id"u8, id);
        w.WriteString("status"u8, status);
        w.WriteString("at"u8, Now());
    });

    public static byte[] Message(long seq, string id, string from, string to, string body) => Write(w =>
    {
        w.WriteString("type"u8, "message"u8);
        w.WriteNumber("seq"u8, seq);
        w.WriteString("id"u8, id);
        w.WriteString("from"u8, from);
        w.WriteString("to"u8, to);
        w.WriteString("body"u8, body);
        w.WriteStartArray("media"u8);
        w.WriteEndArray();
        w.WriteString("at"u8, Now());
    });

    /// <summary>A <c>send</c> request's fields, or null when the frame is not a send.</summary>
    public static (string To, string Body, string? ClientRef)? ReadSend(ReadOnlySpan<byte> utf8)
    {
        string? type = null, to = null, body = null, clientRef = null;
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    continue;
                }

                switch (name)
                {
                    case "type": type = reader.GetString(); break;
                    case "to": to = reader.GetString(); break;
                    case "body": body = reader.GetString(); break;
                    case "clientRef": clientRef = reader.GetString(); break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return type == "send" && to is not null && body is not null ? (to, body, clientRef) : null;
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
