using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Protocol;

/// <summary>
/// Writes server → client frames as UTF-8 JSON. Events are written from the stored records, so a
/// replayed event is byte-for-byte what the live socket saw.
/// </summary>
public static class ServerFrames
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    public static readonly byte[] Pong = "{\"type\":\"pong\"}"u8.ToArray();

    public static byte[] Event(ISequencedEvent e) => Write(e, static (w, e) =>
    {
        switch (e)
        {
            case OutboundAccepted o:
                w.WriteString("type"u8, "outbound"u8);
                w.WriteNumber("seq"u8, o.Seq);
                w.WriteString("id"u8, o.Id);
                if (o.ClientRef is not null)
                {
                    w.WriteString("clientRef"u8, o.ClientRef);
                }

                w.WriteString("from"u8, o.From);
                w.WriteString("to"u8, o.To);
                w.WriteString("body"u8, o.Body);
                if (o.Media is { Count: > 0 })
                {
                    WriteMedia(w, o.Media);
                }

                WriteAt(w, o.At);
                w.WriteString("status"u8, o.Status.ToWire());
                w.WriteString("encoding"u8, o.Encoding);
                w.WriteNumber("segments"u8, o.Segments);
                break;
            case OutboundStatusChanged s:
                w.WriteString("type"u8, "status"u8);
                w.WriteNumber("seq"u8, s.Seq);
                w.WriteString("id"u8, s.Id);
                w.WriteString("status"u8, s.Status.ToWire());
                if (s.Error is not null)
                {
                    w.WriteStartObject("error"u8);
                    w.WriteString("code"u8, s.Error.Code);
                    w.WriteString("message"u8, s.Error.Message);
                    w.WriteEndObject();
                }

                WriteAt(w, s.At);
                break;
            case InboundReceived m:
                w.WriteString("type"u8, "message"u8);
                w.WriteNumber("seq"u8, m.Seq);
                w.WriteString("id"u8, m.Id);
                w.WriteString("from"u8, m.From);
                w.WriteString("to"u8, m.To);
                w.WriteString("body"u8, m.Body);
                WriteMedia(w, m.Media);
                WriteAt(w, m.At);
                break;
            case BroadcastProgressed b:
                w.WriteString("type"u8, "broadcast"u8);
                w.WriteNumber("seq"u8, b.Seq);
                w.WriteString("id"u8, b.Id);
                w.WriteNumber("total"u8, b.Total);
                w.WriteNumber("sent"u8, b.Sent);
                w.WriteNumber("failed"u8, b.Failed);
                w.WriteNumber("skipped"u8, b.Skipped);
                w.WriteNumber("cancelled"u8, b.Cancelled);
                WriteAt(w, b.At);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "not a visible event");
        }
    });

    public static byte[] Welcome(string userId, long lastSeq, long resumeFrom) => Write((userId, lastSeq, resumeFrom), static (w, s) =>
    {
        w.WriteString("type"u8, "welcome"u8);
        w.WriteString("userId"u8, s.userId);
        w.WriteNumber("lastSeq"u8, s.lastSeq);
        w.WriteNumber("resumeFrom"u8, s.resumeFrom);
    });

    public static byte[] Error(string code, string message, string? clientRef = null) => Write((code, message, clientRef), static (w, s) =>
    {
        w.WriteString("type"u8, "error"u8);
        w.WriteString("code"u8, s.code);
        w.WriteString("message"u8, s.message);
        if (s.clientRef is not null)
        {
            w.WriteString("clientRef"u8, s.clientRef);
        }
    });

    private static void WriteMedia(Utf8JsonWriter w, IReadOnlyList<string> media)
    {
        w.WriteStartArray("media"u8);
        foreach (var url in media)
        {
            w.WriteStringValue(url);
        }

        w.WriteEndArray();
    }

    private static void WriteAt(Utf8JsonWriter w, DateTimeOffset at) =>
        w.WriteString("at"u8, at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));

    private static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> body)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer, state);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
