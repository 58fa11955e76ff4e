using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using MessagingServer.ClientNumbers;
using static MessagingServer.ClientNumbers.ClientNumberCommands;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// Writes every message sent to or from a client number as source-generated System.Text.Json under a stable
/// manifest from <see cref="ClientNumberManifests"/>, never through Akka's default (Newtonsoft) serializer.
/// Unknown manifests fail with a <see cref="SerializationException"/>.
/// </summary>
public sealed class ClientNumberMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Distinct from the session serializer's and the journal's.</summary>
    public const int SerializerId = 4721;

    public const string Name = "messaging-client-number";

    private static readonly ClientNumberJsonContext Json = ClientNumberJsonContext.Default;

    public ClientNumberMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => ClientNumberManifests.For(o.GetType());

    public override byte[] ToBinary(object obj) => obj switch
    {
        Claim c => Write(c, Json.Claim),
        GetLastWriter g => Write(g, Json.GetLastWriter),
        CheckConsent c => Write(c, Json.CheckConsent),
        SetConsent s => Write(s, Json.SetConsent),
        ClientNumberActor.Stop => [],
        LastWriterReply r => Write(r, Json.LastWriterReply),
        ConsentReply r => Write(r, Json.ConsentReply),
        _ => throw new SerializationException($"{obj.GetType()} is not a client number message; {nameof(ClientNumberMessageSerializer)} cannot write it"),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return manifest switch
            {
                ClientNumberManifests.Claim => Read(bytes, Json.Claim),
                ClientNumberManifests.GetLastWriter => Read(bytes, Json.GetLastWriter),
                ClientNumberManifests.CheckConsent => Read(bytes, Json.CheckConsent),
                ClientNumberManifests.SetConsent => Read(bytes, Json.SetConsent),
                ClientNumberManifests.Stop => ClientNumberActor.Stop.Instance,
                ClientNumberManifests.LastWriterReply => Read(bytes, Json.LastWriterReply),
                ClientNumberManifests.ConsentReply => Read(bytes, Json.ConsentReply),
                _ => throw new SerializationException(
                    $"Unknown client number manifest '{manifest}' ({bytes.Length} bytes); was it sent by a newer version of the server?"),
            };
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Client number message '{manifest}' ({bytes.Length} bytes) could not be read: {e.Message}", e);
        }
    }

    private static byte[] Write<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    private static T Read<T>(byte[] bytes, JsonTypeInfo<T> typeInfo)
        where T : class =>
        JsonSerializer.Deserialize(bytes, typeInfo) ?? throw new SerializationException($"a {typeof(T).Name} was sent as JSON null");
}
