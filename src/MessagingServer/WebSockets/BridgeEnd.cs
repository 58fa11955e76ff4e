using System.Net.WebSockets;

namespace MessagingServer.WebSockets;

/// <summary>Why a bridge ended, written by the stream stages and read once both sides are done.</summary>
internal sealed class BridgeEnd
{
    public volatile bool TooBig;
    public volatile bool Overflowed;
    public volatile string? SessionEnded;

    public string OutgoingCloseReason => Overflowed ? "client too slow; reconnect to resume" : SessionEnded ?? "session ended";

    public WebSocketCloseStatus OutgoingCloseStatus(Task outgoing) =>
        Overflowed ? (WebSocketCloseStatus)1013
        : SessionEnded is not null ? (WebSocketCloseStatus)1012
        : outgoing.IsFaulted ? WebSocketCloseStatus.InternalServerError
        : WebSocketCloseStatus.NormalClosure;
}
