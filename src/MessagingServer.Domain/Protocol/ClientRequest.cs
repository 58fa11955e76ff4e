namespace MessagingServer.Domain.Protocol;

/// <summary>A frame from the user's app, parsed and validated.</summary>
public abstract record ClientRequest;

/// <summary>
/// <c>send</c>: an SMS to <see cref="To"/> (an MMS when <see cref="Media"/>, never empty when set, lists URLs);
/// <see cref="ClientRef"/> makes a retry idempotent.
/// </summary>
public sealed record SendRequest(PhoneNumber To, string Body, string? ClientRef, IReadOnlyList<string>? Media = null) : ClientRequest;

/// <summary><c>ack</c>: the app has every event up to <see cref="Seq"/>.</summary>
public sealed record AckRequest(long Seq) : ClientRequest;

/// <summary><c>ping</c>: answered with <c>pong</c>.</summary>
public sealed record PingRequest : ClientRequest
{
    public static readonly PingRequest Instance = new();

    private PingRequest()
    {
    }
}

/// <summary>A frame that could not be accepted; answered with an <c>error</c> frame, the socket stays open.</summary>
public sealed record InvalidRequest(string Code, string Message, string? ClientRef = null) : ClientRequest;
