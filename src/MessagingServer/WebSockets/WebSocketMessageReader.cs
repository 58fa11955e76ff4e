using System.Buffers;
using System.Net.WebSockets;

namespace MessagingServer.WebSockets;

public enum ReceivedKind
{
    Text,
    Binary,
    Close,
    TooBig,
}

/// <summary>One whole message, reassembled from its frames. <see cref="Payload"/> is valid until the next read.</summary>
public readonly record struct ReceivedMessage(ReceivedKind Kind, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Reads whole messages from a socket into one reusable buffer, refusing any message larger than
/// the limit as soon as it grows past it (the rest is never buffered).
/// </summary>
public sealed class WebSocketMessageReader(WebSocket socket, int maxMessageBytes)
{
    private const int ChunkSize = 4 * 1024;
    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkSize);

    public async ValueTask<ReceivedMessage> ReadAsync(CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        while (true)
        {
            var memory = _buffer.GetMemory(ChunkSize);
            var result = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceivedMessage(ReceivedKind.Close, ReadOnlyMemory<byte>.Empty);
            }

            _buffer.Advance(result.Count);
            if (_buffer.WrittenCount > maxMessageBytes)
            {
                return new ReceivedMessage(ReceivedKind.TooBig, ReadOnlyMemory<byte>.Empty);
            }

            if (result.EndOfMessage)
            {
                var kind = result.MessageType == WebSocketMessageType.Text ? ReceivedKind.Text : ReceivedKind.Binary;
                return new ReceivedMessage(kind, _buffer.WrittenMemory);
            }
        }
    }
}
