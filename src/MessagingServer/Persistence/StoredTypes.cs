using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.Serialization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Persistence;

/// <summary>
/// Which stored type is written under which manifest: the registry behind <see cref="StoredJsonSerializer"/>.
/// A manifest names a type <em>and</em> a version of its JSON (<c>outbound.v1</c>); once data is written under
/// it, it must stay readable. To change a type incompatibly, register the new shape under a new manifest
/// (<c>outbound.v2</c>) and keep reading the old one with <see cref="RegisterReadOnly"/>.
/// </summary>
/// <remarks>
/// Register a type before the first one is written or read, e.g. in the feature's <c>AddX(IServiceCollection)</c>
/// (registration is idempotent, so several hosts in one process may repeat it):
/// <code>StoredTypes.Register&lt;ChatSessionSnapshot&gt;("session-snapshot.v1");</code>
/// The type must implement <see cref="ISessionEvent"/> or <see cref="IStoredState"/>, the two interfaces bound
/// to the serializer.
/// </remarks>
public static class StoredTypes
{
    public const string Outbound = "outbound.v1";
    public const string Status = "status.v1";
    public const string Inbound = "inbound.v1";
    public const string Dispatch = "dispatch.v1";
    public const string DispatchAccepted = "dispatch-accepted.v1";
    public const string Ack = "ack.v1";
    public const string OptOut = "optout.v1";
    public const string OptIn = "optin.v1";

    /// <summary>The journal's manifest column holds 500 characters.</summary>
    public const int MaxManifestLength = 500;

    private static readonly Lock Gate = new();
    private static ImmutableDictionary<Type, Writer> _writers = ImmutableDictionary<Type, Writer>.Empty;
    private static ImmutableDictionary<string, Reader> _readers = ImmutableDictionary<string, Reader>.Empty.WithComparers(StringComparer.Ordinal);

    static StoredTypes()
    {
        // The context binds itself to these options: source-generated metadata with the same settings as JsonOptions.
        var context = new StoredJsonContext(CreateOptions(resolver: null));
        Register(Outbound, context.OutboundAccepted);
        Register(Status, context.OutboundStatusChanged);
        Register(Inbound, context.InboundReceived);
        Register(Dispatch, context.DispatchStarted);
        Register(DispatchAccepted, context.DispatchAccepted);
        Register(Ack, context.CursorAcked);
        Register(OptOut, context.ClientOptedOut);
        Register(OptIn, context.ClientOptedIn);
    }

    /// <summary>
    /// The JSON settings every stored type is written with: camelCase names, enums as camelCase strings, non-ASCII
    /// text as is. Types without source-generated metadata fall back to reflection.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions(new DefaultJsonTypeInfoResolver());

    /// <summary>Stores <typeparamref name="T"/> as JSON with <see cref="JsonOptions"/> under <paramref name="manifest"/>.</summary>
    public static void Register<T>(string manifest)
        where T : class =>
        Register(manifest, (JsonTypeInfo<T>)JsonOptions.GetTypeInfo(typeof(T)));

    /// <summary>Stores <typeparamref name="T"/> with the given (e.g. source-generated) JSON metadata under <paramref name="manifest"/>.</summary>
    public static void Register<T>(string manifest, JsonTypeInfo<T> typeInfo)
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

        lock (Gate)
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
    public static void RegisterReadOnly(string manifest, Func<byte[], object> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        CheckManifest(manifest);
        lock (Gate)
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
    public static string ManifestFor(Type type) => WriterFor(type).Manifest;

    /// <summary>The type written under <paramref name="manifest"/>; false for unknown and read-only manifests.</summary>
    public static bool TryGetType(string manifest, [NotNullWhen(true)] out Type? type)
    {
        type = _readers.GetValueOrDefault(manifest)?.Type;
        return type is not null;
    }

    /// <summary>Every manifest that can be read, for diagnostics and tests.</summary>
    public static IReadOnlyCollection<string> Manifests => _readers.Keys.ToArray();

    internal static byte[] Serialize(object value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, WriterFor(value.GetType()).TypeInfo);

    internal static object Deserialize(byte[] bytes, string manifest)
    {
        if (!_readers.TryGetValue(manifest, out var reader))
        {
            throw new SerializationException(
                $"Unknown stored manifest '{manifest}' ({bytes.Length} bytes): no type is registered for it in {nameof(StoredTypes)}. " +
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

    private static Writer WriterFor(Type type) =>
        _writers.GetValueOrDefault(type)
        ?? throw new SerializationException(
            $"{type} has no stored manifest: register it with {nameof(StoredTypes)}.{nameof(Register)}<{type.Name}>(\"name.v1\") before it is persisted");

    private static void CheckManifest(string manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest) || manifest.Length > MaxManifestLength || manifest.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"a manifest is 1-{MaxManifestLength} characters without spaces, e.g. 'outbound.v1' (was '{manifest}')", nameof(manifest));
        }
    }

    private static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver? resolver)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            // Stored, never embedded in HTML: keep non-ASCII text readable and compact.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = resolver,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        if (resolver is not null)
        {
            options.MakeReadOnly();
        }

        return options;
    }

    private sealed record Writer(string Manifest, JsonTypeInfo TypeInfo);

    private sealed record Reader(Type? Type, Func<byte[], object?> Read);
}
