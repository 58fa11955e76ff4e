namespace MessagingServer.Cluster.Serialization;

// The JSON shapes of the session messages that hold actor refs: an actor ref travels as its serialized path
// (Serialization.SerializedActorPath) and is resolved again by the receiving node. Every other session message is
// written as it is.

internal sealed record ConnectWire(string UserId, long? Since, string Subscriber, bool SendWelcome, string? Socket);

internal sealed record DisconnectWire(string UserId, string Subscriber, string? Socket = null);

internal sealed record ReplayForWire(string Socket, Sessions.FrameBatch Batch, long UpTo);
