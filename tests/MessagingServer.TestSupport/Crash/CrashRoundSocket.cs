using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MessagingServer.TestSupport.Crash;

/// <summary>The two socket conversations a crash round has with a user's session: the burst, and reading the whole history back.</summary>
public static class CrashRoundSocket
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The burst at once; returns the bodies the server acknowledged (an <c>outbound</c> event each).</summary>
    public static async Task<List<string>> SendBurstAsync(ICrashRoundServer server, string user, int round, int sends, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var socket = await ConnectAsync(server, user, since: 1_000_000_000, cancel);
        for (var i = 0; i < sends; i++)
        {
            var frame = new JsonObject
            {
                ["type"] = "send",
                ["to"] = string.Create(CultureInfo.InvariantCulture, $"+155577701{i:00}"),
                ["body"] = CrashRoundChecks.Body(round, i),
                ["clientRef"] = string.Create(CultureInfo.InvariantCulture, $"r{round}-{i}"),
            };
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancel);
        }

        var acked = new List<string>();
        while (acked.Count < sends && await ReceiveAsync(socket, cancel) is { } frameText)
        {
            var frame = JsonNode.Parse(frameText);
            if ((string?)frame?["type"] == "outbound" && (string?)frame["body"] is { } body)
            {
                acked.Add(body);
            }
        }

        await CloseAsync(socket);
        return acked;
    }

    /// <summary>The user's whole history: the welcome's <c>lastSeq</c>, then every event from the first.</summary>
    public static async Task<List<JsonObject>> EventsAsync(ICrashRoundServer server, string user, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var socket = await ConnectAsync(server, user, since: 0, cancel);
        var welcome = JsonNode.Parse(await ReceiveAsync(socket, cancel) ?? throw new InvalidOperationException($"{user}: the socket closed before its welcome"));
        var last = (long?)welcome?["lastSeq"] ?? throw new InvalidOperationException($"{user}: the first frame was not a welcome with lastSeq");
        var events = new List<JsonObject>();
        while (events.Count < last)
        {
            var text = await ReceiveAsync(socket, cancel) ?? throw new InvalidOperationException($"{user}: the socket closed after {events.Count} of {last} events");
            events.Add(JsonNode.Parse(text)!.AsObject());
        }

        await CloseAsync(socket);
        return events;
    }

    private static async Task<ClientWebSocket> ConnectAsync(ICrashRoundServer server, string user, long since, CancellationToken cancel)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {server.TokenFor(user)}");
        var uri = new Uri(string.Create(CultureInfo.InvariantCulture,
            $"ws://{server.BaseAddress.Authority}/message/{Uri.EscapeDataString(user)}?since={since}"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(FrameTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One whole text message, or null once the server closes.</summary>
    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(FrameTimeout);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private static async Task CloseAsync(ClientWebSocket socket)
    {
        if (socket.State != WebSocketState.Open)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The history is read; how the close ends does not matter to the round.
        }
    }
}
