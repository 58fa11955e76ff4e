using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using MessagingServer.Domain.Messages;
using MessagingServer.Persistence;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// An event inside a session message (<see cref="Sessions.History"/>, a conversation's last event) as
/// <c>{"manifest": "outbound.v1", "event": {...}}</c>: the manifest and JSON the journal stores it with
/// (<see cref="StoredTypes"/>), so an event reads the same from the journal and from another node.
/// </summary>
internal sealed class SequencedEventConverter : JsonConverter<ISequencedEvent>
{
    private const string ManifestProperty = "manifest";
    private const string EventProperty = "event";

    public override ISequencedEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty(ManifestProperty, out var manifest) || manifest.ValueKind != JsonValueKind.String
            || !root.TryGetProperty(EventProperty, out var stored) || stored.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"an event is {{\"{ManifestProperty}\": \"name.v1\", \"{EventProperty}\": {{...}}}}");
        }

        var name = manifest.GetString()!;
        return StoredTypes.Deserialize(JsonMarshal.GetRawUtf8Value(stored).ToArray(), name) as ISequencedEvent
            ?? throw new JsonException($"manifest '{name}' is not an event of the user's stream");
    }

    public override void Write(Utf8JsonWriter writer, ISequencedEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(ManifestProperty, StoredTypes.ManifestFor(value.GetType()));
        writer.WritePropertyName(EventProperty);
        // Written by System.Text.Json itself: valid JSON, no need to check it again.
        writer.WriteRawValue(StoredTypes.Serialize(value), skipInputValidation: true);
        writer.WriteEndObject();
    }
}
