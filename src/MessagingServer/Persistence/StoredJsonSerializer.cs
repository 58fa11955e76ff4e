using Akka.Actor;
using Akka.Serialization;

namespace MessagingServer.Persistence;

/// <summary>
/// Writes every <see cref="MessagingServer.Domain.Messages.ISessionEvent"/> and
/// <see cref="MessagingServer.Domain.Messages.IStoredState"/> as System.Text.Json under the versioned manifest
/// that its <see cref="StoredTypeRegistry"/> gives its type, so stored data never depends on .NET type names or on
/// Akka's default serializer. Unknown manifests and unregistered types fail with a <see cref="System.Runtime.Serialization.SerializationException"/>.
/// </summary>
public sealed class StoredJsonSerializer : SerializerWithStringManifest
{
    /// <summary>Stored in every journal and snapshot row this serializer writes: never change it.</summary>
    public const int SerializerId = 4711;

    public const string Name = "messaging-json";

    private readonly StoredTypeRegistry _types;

    /// <summary>The constructor Akka calls when the serializer is named in configuration: the session events only.</summary>
    public StoredJsonSerializer(ExtendedActorSystem system)
        : this(system, new StoredTypeRegistry())
    {
    }

    /// <summary>A serializer for one actor system, writing the types of <paramref name="types"/>.</summary>
    public StoredJsonSerializer(ExtendedActorSystem system, StoredTypeRegistry types)
        : base(system) =>
        _types = types ?? throw new ArgumentNullException(nameof(types));

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => _types.ManifestFor(o.GetType());

    public override byte[] ToBinary(object obj) => _types.Serialize(obj);

    public override object FromBinary(byte[] bytes, string manifest) => _types.Deserialize(bytes, manifest);
}
