using System.Runtime.Serialization;

namespace MessagingServer.Sessions;

/// <summary>The registry's answer for a session that cannot run now (its storage failed); callers answer "unavailable".</summary>
/// <remarks>
/// It reaches callers on other nodes inside a <c>Status.Failure</c>, which Akka.Remote writes with the exception's
/// <see cref="ISerializable"/> data and reads back through the serialization constructor: without that constructor
/// the caller would get a failure with no cause (a <see cref="TaskCanceledException"/>) instead of this exception.
/// </remarks>
public sealed class SessionUnavailableException : Exception
{
    public SessionUnavailableException(string userId, string reason)
        : base($"The session of {userId} is unavailable: {reason}") =>
        UserId = userId;

#pragma warning disable SYSLIB0051 // Akka.Remote's exception support still uses ISerializable (see remarks).
    private SessionUnavailableException(SerializationInfo info, StreamingContext context)
        : base(info, context) =>
        UserId = info.GetString(nameof(UserId)) ?? string.Empty;

    public string UserId { get; }

    [Obsolete("Only for Akka.Remote's exception support, which still uses ISerializable.")]
    public override void GetObjectData(SerializationInfo info, StreamingContext context)
    {
        base.GetObjectData(info, context);
        info.AddValue(nameof(UserId), UserId);
    }
#pragma warning restore SYSLIB0051
}
