using System.Collections.Frozen;
using System.Runtime.Serialization;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;
using MessagingServer.Sms;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// The manifest of every message that is sent to or from a session (or between a session and its sender), and so may cross nodes: the registry behind
/// <see cref="SessionMessageSerializer"/> and the list of types bound to it. A manifest names a type and a version
/// of its JSON (<c>connect.v1</c>); nodes of two versions talk during a rolling restart, so change a shape only by
/// adding optional members, or under a new manifest that the old version still reads.
/// </summary>
public static class SessionManifests
{
    public const string Connect = "connect.v1";
    public const string Disconnect = "disconnect.v1";
    public const string Send = "send.v1";
    public const string Ack = "ack.v1";
    public const string DeliverInbound = "deliver-inbound.v1";
    public const string DeliverStatus = "deliver-status.v1";
    public const string GetHistory = "get-history.v1";
    public const string GetConversations = "get-conversations.v1";
    public const string GetSessionInfo = "get-session-info.v1";
    public const string WakeSession = "wake-session.v1";
    public const string StopSession = "stop-session.v1";

    public const string Connected = "connected.v1";
    public const string Frame = "frame.v1";
    public const string FrameBatch = "frame-batch.v1";
    public const string ReplayFor = "replay-for.v1";
    public const string SessionEnded = "session-ended.v1";
    public const string SendAccepted = "send-accepted.v1";
    public const string SendRejected = "send-rejected.v1";
    public const string AckResult = "ack-result.v1";
    public const string History = "history.v1";
    public const string ConversationList = "conversation-list.v1";
    public const string SessionInfo = "session-info.v1";
    public const string IngressResult = "ingress-result.v1";

    public const string DispatchSms = "dispatch-sms.v1";
    public const string StartCall = "start-call.v1";
    public const string CallCleared = "call-cleared.v1";
    public const string DispatchResult = "dispatch-result.v1";
    public const string StopSender = "stop-sender.v1";

    private static readonly FrozenDictionary<Type, string> ByType = new Dictionary<Type, string>
    {
        [typeof(ChatSessionCommands.Connect)] = Connect,
        [typeof(ChatSessionCommands.Disconnect)] = Disconnect,
        [typeof(ChatSessionCommands.Send)] = Send,
        [typeof(ChatSessionCommands.Ack)] = Ack,
        [typeof(ChatSessionCommands.DeliverInbound)] = DeliverInbound,
        [typeof(ChatSessionCommands.DeliverStatus)] = DeliverStatus,
        [typeof(ChatSessionCommands.GetHistory)] = GetHistory,
        [typeof(ChatSessionCommands.GetConversations)] = GetConversations,
        [typeof(ChatSessionCommands.GetSessionInfo)] = GetSessionInfo,
        [typeof(ChatSessionCommands.WakeSession)] = WakeSession,
        [typeof(ChatSessionActor.StopSession)] = StopSession,
        [typeof(Sessions.Connected)] = Connected,
        [typeof(ServerFrame)] = Frame,
        [typeof(Sessions.FrameBatch)] = FrameBatch,
        [typeof(Sessions.ReplayFor)] = ReplayFor,
        [typeof(Sessions.SessionEnded)] = SessionEnded,
        [typeof(SendResult.Accepted)] = SendAccepted,
        [typeof(SendResult.Rejected)] = SendRejected,
        [typeof(Sessions.AckResult)] = AckResult,
        [typeof(Sessions.History)] = History,
        [typeof(Sessions.ConversationList)] = ConversationList,
        [typeof(Sessions.SessionInfo)] = SessionInfo,
        [typeof(Sms.IngressResult)] = IngressResult,
        [typeof(Senders.DispatchSms)] = DispatchSms,
        [typeof(Senders.StartCall)] = StartCall,
        [typeof(Senders.CallCleared)] = CallCleared,
        [typeof(Senders.DispatchResult)] = DispatchResult,
        [typeof(Senders.SenderActor.StopSender)] = StopSender,
    }.ToFrozenDictionary();

    /// <summary>The types bound to <see cref="SessionMessageSerializer"/>: exactly the ones it has a manifest for.</summary>
    public static IReadOnlyCollection<Type> BoundTypes => ByType.Keys;

    /// <summary>The manifest <paramref name="type"/> is sent under.</summary>
    /// <exception cref="SerializationException">The type is not a session message.</exception>
    public static string For(Type type) =>
        ByType.GetValueOrDefault(type)
        ?? throw new SerializationException($"{type} has no session manifest: add it to {nameof(SessionManifests)} and to {nameof(SessionMessageSerializer)}");
}
