using MessagingServer.Domain.Protocol;

namespace MessagingServer.WebSockets;

/// <summary>What the socket's reader produced: a parsed request, or a frame the protocol refuses.</summary>
internal abstract record IncomingFrame
{
    public sealed record Request(ClientRequest Value) : IncomingFrame;

    public sealed record Binary : IncomingFrame
    {
        public static readonly Binary Instance = new();
    }

    public sealed record TooBig : IncomingFrame
    {
        public static readonly TooBig Instance = new();
    }
}
