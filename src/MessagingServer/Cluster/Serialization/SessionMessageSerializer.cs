using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;
using MessagingServer.Sms;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// Writes every message sent to or from a session (the commands, their replies, the frames and replays a
/// subscriber is told) as source-generated System.Text.Json under a stable manifest from
/// <see cref="SessionManifests"/>, so that nothing that crosses nodes goes through Akka's default (Newtonsoft)
/// serializer or depends on .NET type names. Actor refs travel as their full path and are resolved by the
/// receiving node. Unknown manifests fail with a <see cref="SerializationException"/>.
/// </summary>
public sealed class SessionMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Sent with every remote session message; distinct from the journal's <see cref="Persistence.StoredJsonSerializer.SerializerId"/>.</summary>
    public const int SerializerId = 4712;

    public const string Name = "messaging-session";

    private static readonly SessionJsonContext Json = SessionJsonContext.Default;

    public SessionMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => SessionManifests.For(o.GetType());

    public override byte[] ToBinary(object obj) => obj switch
    {
        Connect c => Write(new ConnectWire(c.UserId, c.Since, PathOf(c.Subscriber), c.SendWelcome, c.Socket is null ? null : PathOf(c.Socket)), Json.ConnectWire),
        Disconnect d => Write(new DisconnectWire(d.UserId, PathOf(d.Subscriber), d.Socket is null ? null : PathOf(d.Socket)), Json.DisconnectWire),
        ReplayFor r => Write(new ReplayForWire(PathOf(r.Socket), r.Batch, r.UpTo), Json.ReplayForWire),
        Send s => Write(s, Json.Send),
        Ack a => Write(a, Json.Ack),
        DeliverInbound i => Write(i, Json.DeliverInbound),
        DeliverStatus s => Write(s, Json.DeliverStatus),
        GetHistory h => Write(h, Json.GetHistory),
        GetConversations c => Write(c, Json.GetConversations),
        GetSessionInfo i => Write(i, Json.GetSessionInfo),
        WakeSession w => Write(w, Json.WakeSession),
        ChatSessionActor.StopSession => [],
        Connected c => Write(c, Json.Connected),
        ServerFrame f => Write(f, Json.ServerFrame),
        FrameBatch b => Write(b, Json.FrameBatch),
        SessionEnded e => Write(e, Json.SessionEnded),
        SendResult.Accepted a => Write(a, Json.Accepted),
        SendResult.Rejected r => Write(r, Json.Rejected),
        AckResult a => Write(a, Json.AckResult),
        History h => Write(h, Json.History),
        ConversationList l => Write(l, Json.ConversationList),
        SessionInfo i => Write(i, Json.SessionInfo),
        IngressResult r => Write(r, Json.IngressResult),
        Senders.DispatchSms d => Write(d, Json.DispatchSms),
        Senders.StartCall c => Write(c, Json.StartCall),
        Senders.CallCleared c => Write(c, Json.CallCleared),
        Senders.DispatchResult r => Write(r, Json.DispatchResult),
        Senders.SenderActor.StopSender => [],
        _ => throw new SerializationException($"{obj.GetType()} is not a session message; {nameof(SessionMessageSerializer)} cannot write it"),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return Read(bytes, manifest);
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Session message '{manifest}' ({bytes.Length} bytes) could not be read: {e.Message}", e);
        }
    }

    private object Read(byte[] bytes, string manifest) => manifest switch
    {
        SessionManifests.Connect => ReadConnect(bytes),
        SessionManifests.Disconnect => ReadDisconnect(bytes),
        SessionManifests.ReplayFor => ReadReplayFor(bytes),
        SessionManifests.Send => Read(bytes, Json.Send),
        SessionManifests.Ack => Read(bytes, Json.Ack),
        SessionManifests.DeliverInbound => Read(bytes, Json.DeliverInbound),
        SessionManifests.DeliverStatus => Read(bytes, Json.DeliverStatus),
        SessionManifests.GetHistory => Read(bytes, Json.GetHistory),
        SessionManifests.GetConversations => Read(bytes, Json.GetConversations),
        SessionManifests.GetSessionInfo => Read(bytes, Json.GetSessionInfo),
        SessionManifests.WakeSession => Read(bytes, Json.WakeSession),
        SessionManifests.StopSession => ChatSessionActor.StopSession.Instance,
        SessionManifests.Connected => Read(bytes, Json.Connected),
        SessionManifests.Frame => Read(bytes, Json.ServerFrame),
        SessionManifests.FrameBatch => Read(bytes, Json.FrameBatch),
        SessionManifests.SessionEnded => Read(bytes, Json.SessionEnded),
        SessionManifests.SendAccepted => Read(bytes, Json.Accepted),
        SessionManifests.SendRejected => Read(bytes, Json.Rejected),
        SessionManifests.AckResult => Read(bytes, Json.AckResult),
        SessionManifests.History => Read(bytes, Json.History),
        SessionManifests.ConversationList => Read(bytes, Json.ConversationList),
        SessionManifests.SessionInfo => Read(bytes, Json.SessionInfo),
        SessionManifests.IngressResult => JsonSerializer.Deserialize(bytes, Json.IngressResult),
        SessionManifests.DispatchSms => Read(bytes, Json.DispatchSms),
        SessionManifests.StartCall => Read(bytes, Json.StartCall),
        SessionManifests.CallCleared => Read(bytes, Json.CallCleared),
        SessionManifests.DispatchResult => Read(bytes, Json.DispatchResult),
        SessionManifests.StopSender => Senders.SenderActor.StopSender.Instance,
        _ => throw new SerializationException(
            $"Unknown session manifest '{manifest}' ({bytes.Length} bytes); was it sent by a newer version of the server?"),
    };

    private Connect ReadConnect(byte[] bytes)
    {
        var wire = Read(bytes, Json.ConnectWire);
        return new Connect(wire.UserId, wire.Since, Resolve(wire.Subscriber), wire.SendWelcome, wire.Socket is null ? null : Resolve(wire.Socket));
    }

    private Disconnect ReadDisconnect(byte[] bytes)
    {
        var wire = Read(bytes, Json.DisconnectWire);
        return new Disconnect(wire.UserId, Resolve(wire.Subscriber), wire.Socket is null ? null : Resolve(wire.Socket));
    }

    private ReplayFor ReadReplayFor(byte[] bytes)
    {
        var wire = Read(bytes, Json.ReplayForWire);
        return new ReplayFor(Resolve(wire.Socket), wire.Batch, wire.UpTo);
    }

    private static byte[] Write<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    private static T Read<T>(byte[] bytes, JsonTypeInfo<T> typeInfo)
        where T : class =>
        JsonSerializer.Deserialize(bytes, typeInfo) ?? throw new SerializationException($"a {typeof(T).Name} was sent as JSON null");

    /// <summary>With the address of this node when the ref is local, so the receiver reaches it here.</summary>
    private static string PathOf(IActorRef actorRef) => Akka.Serialization.Serialization.SerializedActorPath(actorRef);

    private IActorRef Resolve(string path) => system.Provider.ResolveActorRef(path);
}
