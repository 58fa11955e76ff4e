using System.Text.Json;
using System.Text.Json.Serialization;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Persistence;

/// <summary>
/// Source-generated JSON for everything the journal stores. The names are part of the stored format:
/// camelCase properties, enums as camelCase strings (<c>"delivered"</c>), so reordering an enum or renaming
/// nothing else changes what was written.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.General,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(CamelCaseEnumConverter<MessageStatus>)])]
[JsonSerializable(typeof(OutboundAccepted))]
[JsonSerializable(typeof(OutboundStatusChanged))]
[JsonSerializable(typeof(InboundReceived))]
[JsonSerializable(typeof(DispatchStarted))]
[JsonSerializable(typeof(DispatchAccepted))]
[JsonSerializable(typeof(CursorAcked))]
[JsonSerializable(typeof(ClientOptedOut))]
[JsonSerializable(typeof(ClientOptedIn))]
[JsonSerializable(typeof(BroadcastProgressed))]
[JsonSerializable(typeof(ReconcileStarted))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;

/// <summary>An enum as its camelCase name, e.g. <c>MessageStatus.Undelivered</c> as <c>"undelivered"</c>.</summary>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
