using System.Text.Json.Nodes;

namespace MessagingServer.EndToEnd.Infrastructure;

public sealed partial class ServerProcess
{
    /// <summary>
    /// A user's whole history as a client replays it: connects with <c>?since=0</c> (starting the user's session if it
    /// is not running), reads the welcome, then every event up to the welcome's <c>lastSeq</c>, in order. Frames
    /// without a <c>seq</c> (replies) are left out.
    /// </summary>
    public async Task<List<JsonObject>> ReplayAsync(string user, TimeSpan? timeout = null)
    {
        await using var socket = await SocketClient.ConnectAsync(
            WebSocketUri($"/message/{user}?since=0"), o => o.SetRequestHeader("Authorization", $"Bearer {TestTokens.For(user)}"));
        var welcome = JsonNode.Parse(await socket.ReceiveTextAsync() ?? throw new InvalidOperationException("closed before welcome"))!;
        var last = (long)welcome["lastSeq"]!;
        var events = new List<JsonObject>();
        while (events.Count == 0 ? last > 0 : (long)events[^1]["seq"]! < last)
        {
            var text = await socket.ReceiveTextAsync(timeout ?? TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"closed after {events.Count} of {last} events");
            var frame = JsonNode.Parse(text)!.AsObject();
            if ((long?)frame["seq"] is > 0)
            {
                events.Add(frame);
            }
        }

        return events;
    }
}
