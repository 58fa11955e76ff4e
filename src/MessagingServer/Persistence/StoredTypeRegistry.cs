using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Persistence;

/// <summary>
/// Which stored type is written under which manifest: the registry behind one <see cref="StoredJsonSerializer"/>.
/// A manifest names a type <em>and</em> a version of its JSON (<c>outbound.v1</c>); once data is written under
/// it, it must stay readable. To change a type incompatibly, register the new shape under a new manifest
/// (<c>outbound.v2</c>) and keep reading the old one with <see cref="RegisterReadOnly"/>.
/// </summary>
/// <remarks>
/// One registry per host (so per actor system), never process-wide: a new registry knows the session events
/// (<see cref="StoredTypes"/>). A feature adds its own types with
/// <see cref="StoredTypeServices.AddStoredType{T}"/> in its <c>AddX(IServiceCollection)</c>. A type must implement
/// <see cref="ISessionEvent"/> or <see cref="IStoredState"/>, the two interfaces bound to the serializer.
/// </remarks>
public sealed class StoredTypeRegistry
{
    // The context binds itself to these options: source-generated metadata with the same settings as JsonOptions.
    private static readonly StoredJsonContext Generated = new(StoredTypes.CreateOptions(resolver: null));

    private readonly Lock _gate = new();
    private ImmutableDictionary<Type, Writer> _writers = ImmutableDictionary<Type, Writer>.Empty;
    private ImmutableDictionary<string, Reader> _readers = ImmutableDictionary<string, Reader>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>A registry that knows the session events under their version 1 manifests.</summary>
    public StoredTypeRegistry()
    {
        Register(StoredTypes.Outbound, Generated.OutboundAccepted);
        Register(StoredTypes.Status, Generated.OutboundStatusChanged);
        Register(StoredTypes.Inbound, Generated.InboundReceived);
        Register(StoredTypes.Dispatch, Generated.DispatchStarted);
        Register(StoredTypes.DispatchAccepted, Generated.DispatchAccepted);
        Register(StoredTypes.Ack, Generated.CursorAcked);
        Register(StoredTypes.OptOut, Generated.ClientOptedOut);
        Register(StoredTypes.OptIn, Generated.ClientOptedIn);
        Register(StoredTypes.Broadcast, Generated.BroadcastProgressed);
        Register(StoredTypes.ReconcileStarted, Generated.ReconcileStarted);
    }

    /// <summary>Stores <typeparamref name="T"/> as JSON with <see cref="StoredTypes.JsonOptions"/> under <paramref name="manifest"/>.</summary>
    public void Register<T>(string manifest)
        where T : class =>
        Register(manifest, (JsonTypeInfo<T>)StoredTypes.JsonOptions.GetTypeInfo(typeof(T)));

    /// <summary>Stores <typeparamref name="T"/> with the given (e.g. source-generated) JSON metadata under <paramref name="manifest"/>.</summary>
    /// <remarks>Registering a type again under the same manifest is harmless; any other conflict is refused.</remarks>
    public void Register<T>(string manifest, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        CheckManifest(manifest);
        if (!typeof(ISessionEvent).IsAssignableFrom(typeof(T)) && !typeof(IStoredState).IsAssignableFrom(typeof(T)))
        {
            throw new ArgumentException(
                $"{typeof(T)} implements neither {nameof(ISessionEvent)} nor {nameof(IStoredState)}, so Akka would not send it to this serializer",
                nameof(T));
        }

        lock (_gate)
        {
            var existingWriter = _writers.GetValueOrDefault(typeof(T));
            var existingReader = _readers.GetValueOrDefault(manifest);
            if (existingWriter is not null && existingWriter.Manifest == manifest && existingReader?.Type == typeof(T))
            {
                return;
            }

            if (existingWriter is not null)
            {
                throw new InvalidOperationException($"{typeof(T)} is already stored as '{existingWriter.Manifest}', not '{manifest}'");
            }

            if (existingReader is not null)
            {
                throw new InvalidOperationException($"manifest '{manifest}' already reads {existingReader.Type?.ToString() ?? "an older version"}");
            }

            _writers = _writers.Add(typeof(T), new Writer(manifest, typeInfo));
            _readers = _readers.Add(manifest, new Reader(typeof(T), bytes => JsonSerializer.Deserialize(bytes, typeInfo)));
        }
    }

    /// <summary>
    /// Keeps reading data written under an old <paramref name="manifest"/> that is no longer written, e.g. by
    /// parsing the old JSON and returning the current type.
    /// </summary>
    public void RegisterReadOnly(string manifest, Func<byte[], object> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        CheckManifest(manifest);
        lock (_gate)
        {
            if (_readers.ContainsKey(manifest))
            {
                throw new InvalidOperationException($"manifest '{manifest}' is already registered");
            }

            _readers = _readers.Add(manifest, new Reader(null, read));
        }
    }

    /// <summary>The manifest <paramref name="type"/> is written under.</summary>
    /// <exception cref="SerializationException">The type is not registered.</exception>
    public string ManifestFor(Type type) => WriterFor(type).Manifest;

    /// <summary>The type written under <paramref name="manifest"/>; false for unknown and read-only manifests.</summary>
    public bool TryGetType(string manifest, [NotNullWhen(true)] out Type? type)
    {
        type = _readers.GetValueOrDefault(manifest)?.Type;
        return type is not null;
    }

    /// <summary>Every manifest that can be read, for diagnostics and tests.</summary>
    public IReadOnlyCollection<string> Manifests => _readers.Keys.ToArray();

    internal byte[] Serialize(object value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, WriterFor(value.GetType()).TypeInfo);

    internal object Deserialize(byte[] bytes, string manifest)
    {
        if (!_readers.TryGetValue(manifest, out var reader))
        {
            throw new SerializationException(
                $"Unknown stored manifest '{manifest}' ({bytes.Length} bytes): no type is registered for it in this server's {nameof(StoredTypeRegistry)}. " +
                "Was it written by a newer version of the server?");
        }

        try
        {
            return reader.Read(bytes)
                ?? throw new SerializationException($"Stored manifest '{manifest}' holds JSON null");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Stored manifest '{manifest}' could not be read as {reader.Type?.Name ?? "its registered reader"}: {e.Message}", e);
        }
    }

    private Writer WriterFor(Type type) =>
        _writers.GetValueOrDefault(type)
        ?? throw new SerializationException(
            $"{type} has no stored manifest: register it with services.{nameof(StoredTypeServices.AddStoredType)}<{type.Name}>(\"name.v1\") " +
            $"(or {nameof(StoredTypeRegistry)}.{nameof(Register)}) before it is persisted");

    private static void CheckManifest(string manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest) || manifest.Length > StoredTypes.MaxManifestLength || manifest.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"a manifest is 1-{StoredTypes.MaxManifestLength} characters without spaces, e.g. 'outbound.v1' (was '{manifest}')", nameof(manifest));
        }
    }

    private sealed record Writer(string Manifest, JsonTypeInfo TypeInfo);

    private sealed record Reader(Type? Type, Func<byte[], object?> Read);
}
