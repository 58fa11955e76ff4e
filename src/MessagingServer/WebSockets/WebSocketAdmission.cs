using MessagingServer.Security;

namespace MessagingServer.WebSockets;

/// <summary>The socket caps as an endpoint applies them: reserve, or answer the refusal before any upgrade.</summary>
public static class WebSocketAdmission
{
    /// <summary>
    /// Reserves a slot for the socket about to be accepted, or writes the refusal and returns null:
    /// 429 <c>too_many_sockets</c> when the user or the client's address is at its cap, 503 <c>too_many_sockets</c>
    /// when the server's pool for this kind of socket (users, or anonymous) is full.
    /// </summary>
    public static async Task<SocketReservation?> ReserveOrRefuseAsync(
        this WebSocketConnections connections, HttpContext context, string kind, string? userId)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(context);
        switch (connections.TryReserve(kind, userId, context.Connection.RemoteIpAddress, out var reservation))
        {
            case SocketAdmission.Admitted:
                return reservation;
            case SocketAdmission.UserCapReached:
                await RefuseUserCapAsync(context);
                return null;
            case SocketAdmission.AddressCapReached:
                await SecurityProblems.WriteAsync(
                    context,
                    StatusCodes.Status429TooManyRequests,
                    SecurityProblems.TooManySockets,
                    "This address has too many open sockets",
                    "Close another socket from this address first (Limits:MaxSocketsPerIp).");
                return null;
            case SocketAdmission.AnonymousCapReached:
                await SecurityProblems.WriteAsync(
                    context,
                    StatusCodes.Status503ServiceUnavailable,
                    SecurityProblems.TooManySockets,
                    "The server has too many open anonymous sockets",
                    "Try again later (Limits:MaxAnonymousSockets); sockets of users are not affected.",
                    TimeSpan.FromSeconds(5));
                return null;
            default:
                await SecurityProblems.WriteAsync(
                    context,
                    StatusCodes.Status503ServiceUnavailable,
                    SecurityProblems.TooManySockets,
                    "The server has too many open sockets",
                    "Try again later or another node (Limits:MaxSockets).",
                    TimeSpan.FromSeconds(5));
                return null;
        }
    }

    /// <summary>429 <c>too_many_sockets</c>: the user has <c>Limits:MaxSocketsPerUser</c> sockets open, here or across the cluster.</summary>
    public static Task RefuseUserCapAsync(HttpContext context) =>
        SecurityProblems.WriteAsync(
            context,
            StatusCodes.Status429TooManyRequests,
            SecurityProblems.TooManySockets,
            "This user has too many open sockets",
            "Close another socket of this user first (Limits:MaxSocketsPerUser).");
}
