using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>
/// A WebSocket client on a bare TCP socket, for what a well-behaved client never does: write any frame (bad
/// opcodes, invalid UTF-8) and drop the connection without a close frame.
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawWebSocket(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>Upgrades <paramref name="pathAndQuery"/> with the headers given; fails unless the server answers 101.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri baseAddress, string pathAndQuery, IDictionary<string, string>? headers = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(baseAddress.Host), baseAddress.Port), timeout.Token);
        var raw = new RawWebSocket(socket);
        var request = new StringBuilder()
            .Append($"GET {pathAndQuery} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append($"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\n");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Append($"{name}: {value}\r\n");
        }

        await raw._stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), timeout.Token);
        var response = await raw.ReadHeadAsync(timeout.Token);
        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
        return raw;
    }

    /// <summary>Writes one masked frame, as a client must.</summary>
    public async Task SendFrameAsync(byte opcode, byte[] payload, bool fin = true)
    {
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        if (payload.Length < 126)
        {
            frame.Add((byte)(0x80 | payload.Length));
        }
        else
        {
            frame.Add(0x80 | 126);
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        frame.AddRange(mask);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);
        await _stream.WriteAsync(frame.ToArray(), timeout.Token);
    }

    /// <summary>Reads one server frame (unmasked, payload under 64 KB): its opcode and payload.</summary>
    public async Task<(byte Opcode, byte[] Payload)> ReceiveFrameAsync()
    {
        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);
        var head = await ReadExactlyAsync(2, timeout.Token);
        var length = head[1] & 0x7F;
        if (length == 126)
        {
            var extended = await ReadExactlyAsync(2, timeout.Token);
            length = (extended[0] << 8) | extended[1];
        }

        return ((byte)(head[0] & 0x0F), await ReadExactlyAsync(length, timeout.Token));
    }

    /// <summary>Drops the connection with a TCP reset: no close frame, no FIN, as a phone losing its network looks to a server at best.</summary>
    public void Drop()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    private async Task<string> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            await _stream.ReadExactlyAsync(one, cancellationToken);
            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString(head.ToArray());
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
