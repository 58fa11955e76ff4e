using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>A user's app on <c>/message/{userId}</c>: sends requests, reads frames as JSON.</summary>
public sealed class MessageClient : IAsyncDisposable
{
    private MessageClient(SocketClient socket, JsonObject welcome)
    {
        Socket = socket;
        Welcome = welcome;
    }

    public SocketClient Socket { get; }

    public JsonObject Welcome { get; }

    /// <summary>Connects as <paramref name="userId"/> with a token the server accepts (as a Bearer header).</summary>
    public static async Task<MessageClient> ConnectAsync(RunningServer server, string userId, string? query = null, Action<ClientWebSocketOptions>? options = null)
    {
        var token = server.TokenFor(userId);
        var socket = await SocketClient.ConnectAsync(new Uri(server.WebSocketBase, $"/message/{userId}{query}"), o =>
        {
            o.SetRequestHeader("Authorization", $"Bearer {token}");
            options?.Invoke(o);
        });
        var welcome = JsonNode.Parse(await socket.ReceiveTextAsync() ?? throw new InvalidOperationException("closed before welcome"))!.AsObject();
        Assert.Equal("welcome", (string?)welcome["type"]);
        return new MessageClient(socket, welcome);
    }

    public Task SendJsonAsync(object request) => Socket.SendTextAsync(JsonSerializer.Serialize(request));

    public Task SendAsync(string to, string body, string? clientRef = null) =>
        SendJsonAsync(clientRef is null ? new { type = "send", to, body } : new { type = "send", to, body, clientRef });

    public async Task<JsonObject> ReceiveAsync(TimeSpan? timeout = null)
    {
        var text = await Socket.ReceiveTextAsync(timeout) ?? throw new InvalidOperationException($"socket closed: {Socket.Socket.CloseStatus} {Socket.Socket.CloseStatusDescription}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Reads frames until one of <paramref name="type"/> arrives (skipping others) and returns it.</summary>
    public async Task<JsonObject> ExpectAsync(string type, Func<JsonObject, bool>? where = null)
    {
        while (true)
        {
            var frame = await ReceiveAsync();
            if ((string?)frame["type"] == type && (where is null || where(frame)))
            {
                return frame;
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> frames.</summary>
    public async Task<List<JsonObject>> ReceiveManyAsync(int count)
    {
        var frames = new List<JsonObject>(count);
        for (var i = 0; i < count; i++)
        {
            frames.Add(await ReceiveAsync());
        }

        return frames;
    }

    /// <summary>Proves nothing else is pending: a ping's pong is the very next frame.</summary>
    public async Task ExpectNothingPendingAsync()
    {
        await SendJsonAsync(new { type = "ping" });
        var next = await ReceiveAsync();
        Assert.Equal("pong", (string?)next["type"]);
    }

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
