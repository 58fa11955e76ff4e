using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MessagingServer.Bench.Clients;

/// <summary>The top-level fields of a server frame the tool looks at (docs/protocol.md).</summary>
public readonly record struct Frame(string? Type, long Seq, string? Id, string? ClientRef, string? Body, string? Status, string? Code, long LastSeq, long ResumeFrom)
{
    public bool IsEvent => Seq > 0;

    /// <summary>Reads one JSON object; nested objects and arrays are skipped. A frame that is not JSON has no type.</summary>
    public static Frame Parse(ReadOnlySpan<byte> utf8)
    {
        string? type = null, id = null, clientRef = null, body = null, status = null, code = null;
        long seq = 0, lastSeq = 0, resumeFrom = 0;
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    if (name.SequenceEqual("type"u8))
                    {
                        type = reader.GetString();
                    }
                    else if (name.SequenceEqual("id"u8))
                    {
                        id = reader.GetString();
                    }
                    else if (name.SequenceEqual("clientRef"u8))
                    {
                        clientRef = reader.GetString();
                    }
                    else if (name.SequenceEqual("body"u8))
                    {
                        body = reader.GetString();
                    }
                    else if (name.SequenceEqual("status"u8))
                    {
                        status = reader.GetString();
                    }
                    else if (name.SequenceEqual("code"u8))
                    {
                        code = reader.GetString();
                    }
                }
                else if (reader.TokenType == JsonTokenType.Number)
                {
                    if (name.SequenceEqual("seq"u8))
                    {
                        seq = reader.GetInt64();
                    }
                    else if (name.SequenceEqual("lastSeq"u8))
                    {
                        lastSeq = reader.GetInt64();
                    }
                    else if (name.SequenceEqual("resumeFrom"u8))
                    {
                        resumeFrom = reader.GetInt64();
                    }
                }
            }
        }
        catch (JsonException)
        {
            return default;
        }
        catch (FormatException)
        {
            return default;
        }

        return new Frame(type, seq, id, clientRef, body, status, code, lastSeq, resumeFrom);
    }

    /// <summary>A <c>send</c> request: <c>{"type":"send","to":...,"body":...,"clientRef":...}</c>.</summary>
    public static byte[] Send(string to, string body, string? clientRef)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "send"u8);
            writer.WriteString("to"u8, to);
            writer.WriteString("body"u8, body);
            if (clientRef is not null)
            {
                writer.WriteString("clientRef"u8, clientRef);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
