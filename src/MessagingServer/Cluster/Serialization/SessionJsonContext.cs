using System.Text.Json;
using System.Text.Json.Serialization;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Persistence;
using MessagingServer.Sessions;
using MessagingServer.Sms;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// Source-generated JSON for the session messages that cross nodes (see <see cref="SessionManifests"/>):
/// camelCase properties, enums as camelCase strings, frames' bytes as base64, events as their stored JSON.
/// Unknown properties are skipped, so a node reads what a newer node adds to a shape.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.General,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(SequencedEventConverter), typeof(CamelCaseEnumConverter<MessageStatus>), typeof(CamelCaseEnumConverter<IngressResult>), typeof(CamelCaseEnumConverter<Senders.DispatchResultKind>)])]
[JsonSerializable(typeof(ConnectWire))]
[JsonSerializable(typeof(DisconnectWire))]
[JsonSerializable(typeof(ReplayForWire))]
[JsonSerializable(typeof(ChatSessionCommands.Send))]
[JsonSerializable(typeof(ChatSessionCommands.Ack))]
[JsonSerializable(typeof(ChatSessionCommands.DeliverInbound))]
[JsonSerializable(typeof(ChatSessionCommands.DeliverStatus))]
[JsonSerializable(typeof(ChatSessionCommands.GetHistory))]
[JsonSerializable(typeof(ChatSessionCommands.GetConversations))]
[JsonSerializable(typeof(ChatSessionCommands.GetSessionInfo))]
[JsonSerializable(typeof(ChatSessionCommands.WakeSession))]
[JsonSerializable(typeof(Connected))]
[JsonSerializable(typeof(ServerFrame))]
[JsonSerializable(typeof(FrameBatch))]
[JsonSerializable(typeof(SessionEnded))]
[JsonSerializable(typeof(SendResult.Accepted))]
[JsonSerializable(typeof(SendResult.Rejected))]
[JsonSerializable(typeof(AckResult))]
[JsonSerializable(typeof(History))]
[JsonSerializable(typeof(ConversationList))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(IngressResult))]
[JsonSerializable(typeof(Senders.DispatchSms))]
[JsonSerializable(typeof(Senders.StartCall))]
[JsonSerializable(typeof(Senders.CallCleared))]
[JsonSerializable(typeof(Senders.DispatchResult))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
