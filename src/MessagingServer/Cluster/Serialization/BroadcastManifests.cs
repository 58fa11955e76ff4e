using System.Collections.Frozen;
using System.Runtime.Serialization;
using MessagingServer.Broadcasts;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// The manifest of every broadcast message that may cross nodes (to and from broadcasts, their index, and the
/// broadcast's messages to sessions): the registry behind <see cref="BroadcastMessageSerializer"/>. Change a shape only
/// by adding optional members, or under a new manifest.
/// </summary>
public static class BroadcastManifests
{
    private static readonly FrozenDictionary<Type, string> ByType = new Dictionary<Type, string>
    {
        [typeof(BroadcastCommands.CreateBroadcast)] = "broadcast-create.v1",
        [typeof(BroadcastCommands.GetBroadcast)] = "broadcast-get.v1",
        [typeof(BroadcastCommands.CancelBroadcast)] = "broadcast-cancel.v1",
        [typeof(BroadcastCommands.ResumeBroadcast)] = "broadcast-resume.v1",
        [typeof(BroadcastCreateReply)] = "broadcast-create-reply.v1",
        [typeof(BroadcastStatusReply)] = "broadcast-status.v1",
        [typeof(BroadcastSend)] = "broadcast-send.v1",
        [typeof(RecordBroadcast)] = "broadcast-record.v1",
        [typeof(BroadcastRecorded)] = "broadcast-recorded.v1",
        [typeof(BroadcastIndexCommands.Index)] = "broadcast-index.v1",
        [typeof(BroadcastIndexCommands.Unindex)] = "broadcast-unindex.v1",
        [typeof(BroadcastIndexCommands.Wake)] = "broadcast-wake.v1",
        [typeof(BroadcastIndexed)] = "broadcast-indexed.v1",
        [typeof(BroadcastActor.Stop)] = "broadcast-stop.v1",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Type> ByManifest = ByType.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<Type> BoundTypes => ByType.Keys;

    /// <exception cref="SerializationException">The type is not a broadcast message.</exception>
    public static string For(Type type) =>
        ByType.GetValueOrDefault(type) ?? throw new SerializationException($"{type} has no broadcast manifest: add it to {nameof(BroadcastManifests)}");

    /// <exception cref="SerializationException">Not a broadcast manifest.</exception>
    public static Type TypeOf(string manifest) =>
        ByManifest.GetValueOrDefault(manifest)
        ?? throw new SerializationException($"Unknown broadcast manifest '{manifest}'; was it sent by a newer version of the server?");
}
