namespace MessagingServer.Domain.Protocol;

/// <summary>
/// One frame for a socket, already serialized. <see cref="Seq"/> is the event number for event frames
/// (0 for replies such as <c>welcome</c>, <c>error</c>, <c>pong</c>), so a socket can drop replays it has already seen.
/// </summary>
public sealed record ServerFrame(long Seq, byte[] Utf8)
{
    public static readonly ServerFrame Pong = new(0, ServerFrames.Pong);

    public static ServerFrame Error(string code, string message, string? clientRef = null) =>
        new(0, ServerFrames.Error(code, message, clientRef));
}
