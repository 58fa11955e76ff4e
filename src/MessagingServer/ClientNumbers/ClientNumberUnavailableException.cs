using System.Runtime.Serialization;

namespace MessagingServer.ClientNumbers;

/// <summary>A client number cannot answer now (its storage failed); callers answer "unavailable".</summary>
/// <remarks>
/// Crosses nodes inside a <c>Status.Failure</c>, which Akka.Remote writes with the exception's
/// <see cref="ISerializable"/> data: hence the serialization constructor (as <c>SessionUnavailableException</c>).
/// </remarks>
public sealed class ClientNumberUnavailableException : Exception
{
    public ClientNumberUnavailableException(string clientNumber, string reason)
        : base($"The client number {clientNumber} is unavailable: {reason}") =>
        ClientNumber = clientNumber;

#pragma warning disable SYSLIB0051 // Akka.Remote's exception support still uses ISerializable (see remarks).
    private ClientNumberUnavailableException(SerializationInfo info, StreamingContext context)
        : base(info, context) =>
        ClientNumber = info.GetString(nameof(ClientNumber)) ?? string.Empty;

    public string ClientNumber { get; }

    [Obsolete("Only for Akka.Remote's exception support, which still uses ISerializable.")]
    public override void GetObjectData(SerializationInfo info, StreamingContext context)
    {
        base.GetObjectData(info, context);
        info.AddValue(nameof(ClientNumber), ClientNumber);
    }
#pragma warning restore SYSLIB0051
}
