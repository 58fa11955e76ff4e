using System.Text.Json;
using System.Text.Json.Serialization;
using MessagingServer.Broadcasts;

namespace MessagingServer.Cluster.Serialization;

/// <summary>Source-generated JSON for the broadcast messages that cross nodes (see <see cref="BroadcastManifests"/>), camelCase.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.General, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BroadcastCommands.CreateBroadcast))]
[JsonSerializable(typeof(BroadcastCommands.GetBroadcast))]
[JsonSerializable(typeof(BroadcastCommands.CancelBroadcast))]
[JsonSerializable(typeof(BroadcastCommands.ResumeBroadcast))]
[JsonSerializable(typeof(BroadcastCreateReply))]
[JsonSerializable(typeof(BroadcastStatusReply))]
[JsonSerializable(typeof(BroadcastSend))]
[JsonSerializable(typeof(RecordBroadcast))]
[JsonSerializable(typeof(BroadcastRecorded))]
[JsonSerializable(typeof(BroadcastIndexCommands.Index))]
[JsonSerializable(typeof(BroadcastIndexCommands.Unindex))]
[JsonSerializable(typeof(BroadcastIndexed))]
internal sealed partial class BroadcastJsonContext : JsonSerializerContext;
