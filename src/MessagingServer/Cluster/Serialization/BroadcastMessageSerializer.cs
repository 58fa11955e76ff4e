using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using MessagingServer.Broadcasts;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// Writes every broadcast message as source-generated System.Text.Json under a stable manifest from
/// <see cref="BroadcastManifests"/>, never through Akka's default serializer. Unknown manifests fail.
/// </summary>
public sealed class BroadcastMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Distinct from the session's, the client number's and the journal's serializers.</summary>
    public const int SerializerId = 4731;

    public const string Name = "messaging-broadcast";

    public BroadcastMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => BroadcastManifests.For(o.GetType());

    public override byte[] ToBinary(object obj) => obj switch
    {
        BroadcastIndexCommands.Wake or BroadcastActor.Stop => [],
        _ => JsonSerializer.SerializeToUtf8Bytes(obj, BroadcastJsonContext.Default.GetTypeInfo(obj.GetType())
            ?? throw new SerializationException($"{obj.GetType()} is not a broadcast message")),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = BroadcastManifests.TypeOf(manifest);
        if (type == typeof(BroadcastIndexCommands.Wake))
        {
            return BroadcastIndexCommands.Wake.Instance;
        }

        if (type == typeof(BroadcastActor.Stop))
        {
            return BroadcastActor.Stop.Instance;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, BroadcastJsonContext.Default.GetTypeInfo(type)!)
                ?? throw new SerializationException($"a {type.Name} was sent as JSON null");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Broadcast message '{manifest}' ({bytes.Length} bytes) could not be read: {e.Message}", e);
        }
    }
}
