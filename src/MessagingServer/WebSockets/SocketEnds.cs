using System.Net.WebSockets;
using Akka.Streams;

namespace MessagingServer.WebSockets;

/// <summary>
/// Ways a socket ends that are not server faults: the peer dropped the connection without a close frame, broke the
/// protocol (invalid UTF-8, an unknown opcode: the socket has answered 1007 or 1002 itself), the request was
/// aborted, the server is stopping, or the client fell too far behind. Akka.Streams hands a failed stage's
/// exception on wrapped in an <see cref="AggregateException"/>, so those are looked inside.
/// </summary>
internal static class SocketEnds
{
    public static bool IsSocketEnd(Exception e) => e switch
    {
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.All(IsSocketEnd),
        WebSocketException or OperationCanceledException or BufferOverflowException or AbruptTerminationException or ObjectDisposedException => true,
        _ => false,
    };

    /// <summary>One short sentence for the request's log line: the socket's own reason, no stack trace.</summary>
    public static string Describe(Exception e)
    {
        var first = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : e;
        return first switch
        {
            // Read again after the connection was reset (or found closed without a close frame): the client is gone.
            WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely or WebSocketError.InvalidState } =>
                "connection lost without a close frame",
            WebSocketException { InnerException: { } cause } socket => $"{socket.WebSocketErrorCode}: {cause.Message}",
            WebSocketException socket => $"{socket.WebSocketErrorCode}: {socket.Message}",
            // The reads wait on the request's RequestAborted, which fires when the connection drops.
            OperationCanceledException => "connection lost (request aborted)",
            _ => first.Message,
        };
    }
}
