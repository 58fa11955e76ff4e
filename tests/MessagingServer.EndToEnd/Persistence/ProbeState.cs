using MessagingServer.Domain.Messages;
using MessagingServer.Persistence;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>A stand-in for the session snapshot: proves a snapshot type registered later is stored by our serializer.</summary>
public sealed record ProbeState(long Seq, IReadOnlyDictionary<string, MessageStatus> Statuses, IReadOnlyList<string> OptedOut) : IStoredState
{
    public const string Manifest = "test-probe-state.v1";

    public static void Register() => StoredTypes.Register<ProbeState>(Manifest);
}
