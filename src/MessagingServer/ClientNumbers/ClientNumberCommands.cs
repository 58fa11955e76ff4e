namespace MessagingServer.ClientNumbers;

/// <summary>Every message for a client number carries it (E.164), so the shard region can route it.</summary>
public interface IWithClientNumber
{
    string ClientNumber { get; }
}

/// <summary>Messages handled by <see cref="ClientNumberActor"/>, reached through its region (<see cref="ClientNumberRegistry"/>).</summary>
public static class ClientNumberCommands
{
    /// <summary>
    /// <paramref name="UserId"/>'s send to this client is stored: replies go to that user from now on. Told, never
    /// answered (tell it with no sender); stored only when the number changes hands or the stored time is old.
    /// </summary>
    public sealed record Claim(string ClientNumber, string UserId, DateTimeOffset At) : IWithClientNumber;

    /// <summary>Who last wrote to this client; the reply is a <see cref="LastWriterReply"/>.</summary>
    public sealed record GetLastWriter(string ClientNumber) : IWithClientNumber;

    /// <summary>May <paramref name="Sender"/> text this client; the reply is a <see cref="ConsentReply"/>.</summary>
    public sealed record CheckConsent(string ClientNumber, string Sender) : IWithClientNumber;

    /// <summary>
    /// The client opted out of (STOP) or back in to (START) messages from <paramref name="Sender"/>; the reply, a
    /// <see cref="ConsentReply"/>, comes once it is stored.
    /// </summary>
    public sealed record SetConsent(string ClientNumber, string Sender, bool OptedOut, DateTimeOffset At) : IWithClientNumber;
}

/// <summary>Reply to <see cref="ClientNumberCommands.GetLastWriter"/>: null when nobody has written to the client.</summary>
public sealed record LastWriterReply(string ClientNumber, string? UserId);

/// <summary>Reply to <see cref="ClientNumberCommands.CheckConsent"/> and (once stored) <see cref="ClientNumberCommands.SetConsent"/>.</summary>
public sealed record ConsentReply(string ClientNumber, string Sender, bool OptedOut);
