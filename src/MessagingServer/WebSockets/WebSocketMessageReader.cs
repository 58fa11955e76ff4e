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
/// Reads whole messages from a socket, refusing any message larger than the limit as soon as it grows past it
/// (the rest is never buffered). An idle socket holds no buffer: each read first waits with a zero-byte receive,
/// and only then rents a buffer from the shared pool, which goes back at the start of the next read.
/// </summary>
public sealed class WebSocketMessageReader(WebSocket socket, int maxMessageBytes)
{
    private const int ChunkSize = 4 * 1024;
    private byte[]? _buffer;

    public async ValueTask<ReceivedMessage> ReadAsync(CancellationToken cancellationToken)
    {
        Release();
        var wait = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        if (wait.MessageType == WebSocketMessageType.Close)
        {
            return new ReceivedMessage(ReceivedKind.Close, ReadOnlyMemory<byte>.Empty);
        }

        if (wait.EndOfMessage)
        {
            // An empty message is whole after the zero-byte receive.
            return new ReceivedMessage(wait.MessageType == WebSocketMessageType.Text ? ReceivedKind.Text : ReceivedKind.Binary, ReadOnlyMemory<byte>.Empty);
        }

        _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var written = 0;
        while (true)
        {
            if (written == _buffer.Length)
            {
                Grow(written);
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(written), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                Release();
                return new ReceivedMessage(ReceivedKind.Close, ReadOnlyMemory<byte>.Empty);
            }

            written += result.Count;
            if (written > maxMessageBytes)
            {
                Release();
                return new ReceivedMessage(ReceivedKind.TooBig, ReadOnlyMemory<byte>.Empty);
            }

            if (result.EndOfMessage)
            {
                var kind = result.MessageType == WebSocketMessageType.Text ? ReceivedKind.Text : ReceivedKind.Binary;
                return new ReceivedMessage(kind, _buffer.AsMemory(0, written));
            }
        }
    }

    private void Grow(int written)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer!.Length * 2, maxMessageBytes + ChunkSize));
        _buffer.AsSpan(0, written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
