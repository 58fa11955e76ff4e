namespace MessagingServer.WebSockets;

/// <summary>Whether the socket caps admit one more socket, and if not, which cap is reached.</summary>
public enum SocketAdmission
{
    Admitted,

    /// <summary>The user has <c>Limits:MaxSocketsPerUser</c> sockets open: answer 429.</summary>
    UserCapReached,

    /// <summary>The server has <c>Limits:MaxSockets</c> sockets of users open: answer 503.</summary>
    ServerCapReached,

    /// <summary>The server has <c>Limits:MaxAnonymousSockets</c> sockets of no user open: answer 503.</summary>
    AnonymousCapReached,

    /// <summary>The client's address has <c>Limits:MaxSocketsPerIp</c> sockets open: answer 429.</summary>
    AddressCapReached,
}
