using System.Collections.Frozen;
using System.Runtime.Serialization;
using MessagingServer.ClientNumbers;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// The manifest of every message sent to or from a client number (<see cref="ClientNumberActor"/>), which may cross
/// nodes: the registry behind <see cref="ClientNumberMessageSerializer"/>. As with <see cref="SessionManifests"/>,
/// change a shape only by adding optional members, or under a new manifest that the old version still reads.
/// </summary>
public static class ClientNumberManifests
{
    public const string Claim = "client-number-claim.v1";
    public const string GetLastWriter = "client-number-get-last-writer.v1";
    public const string CheckConsent = "client-number-check-consent.v1";
    public const string SetConsent = "client-number-set-consent.v1";
    public const string Stop = "client-number-stop.v1";
    public const string LastWriterReply = "client-number-last-writer.v1";
    public const string ConsentReply = "client-number-consent.v1";

    private static readonly FrozenDictionary<Type, string> ByType = new Dictionary<Type, string>
    {
        [typeof(ClientNumberCommands.Claim)] = Claim,
        [typeof(ClientNumberCommands.GetLastWriter)] = GetLastWriter,
        [typeof(ClientNumberCommands.CheckConsent)] = CheckConsent,
        [typeof(ClientNumberCommands.SetConsent)] = SetConsent,
        [typeof(ClientNumberActor.Stop)] = Stop,
        [typeof(ClientNumbers.LastWriterReply)] = LastWriterReply,
        [typeof(ClientNumbers.ConsentReply)] = ConsentReply,
    }.ToFrozenDictionary();

    /// <summary>The types bound to <see cref="ClientNumberMessageSerializer"/>: exactly the ones it has a manifest for.</summary>
    public static IReadOnlyCollection<Type> BoundTypes => ByType.Keys;

    /// <exception cref="SerializationException">The type is not a client number message.</exception>
    public static string For(Type type) =>
        ByType.GetValueOrDefault(type)
        ?? throw new SerializationException($"{type} has no client number manifest: add it to {nameof(ClientNumberManifests)} and to {nameof(ClientNumberMessageSerializer)}");
}
