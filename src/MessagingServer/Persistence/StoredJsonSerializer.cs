using Akka.Actor;
using Akka.Serialization;

namespace MessagingServer.Persistence;

/// <summary>
/// Writes every <see cref="MessagingServer.Domain.Messages.ISessionEvent"/> and
/// <see cref="MessagingServer.Domain.Messages.IStoredState"/> as System.Text.Json under the versioned manifest
/// that <see cref="StoredTypes"/> gives its type, so stored data never depends on .NET type names or on Akka's
/// default serializer. Unknown manifests and unregistered types fail with a <see cref="System.Runtime.Serialization.SerializationException"/>.
/// </summary>
public sealed class StoredJsonSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Stored in every journal and snapshot row this serializer writes: never change it.</summary>
    public const int SerializerId = 4711;

    public const string Name = "messaging-json";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => StoredTypes.ManifestFor(o.GetType());

    public override byte[] ToBinary(object obj) => StoredTypes.Serialize(obj);

    public override object FromBinary(byte[] bytes, string manifest) => StoredTypes.Deserialize(bytes, manifest);
}
