namespace MessagingServer.WebSockets;

/// <summary>Whether the socket caps admit one more socket, and if not, which cap is reached.</summary>
public enum SocketAdmission
{
    Admitted,

    /// <summary>The user has <c>Limits:MaxSocketsPerUser</c> sockets open: answer 429.</summary>
    UserCapReached,

    /// <summary>The server has <c>Limits:MaxSockets</c> sockets open: answer 503.</summary>
    ServerCapReached,
}
