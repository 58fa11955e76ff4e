using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// A session's state at one point of its journal, so recovery reads the snapshot and the events after it
/// instead of the whole history. Stored as JSON (manifest <c>session-snapshot.v1</c>): add optional members only.
/// Dedup keys are in <see cref="ClientRefWindow"/> and <see cref="InboundSidWindow"/> (<see cref="KeyWindow.Encode"/>);
/// snapshots written before those existed list them as text in <see cref="ClientRefs"/> and <see cref="InboundSids"/>,
/// which are written empty now.
/// </summary>
public sealed record ChatSessionSnapshot(
    string UserId,
    long LastSeq,
    long AckedSeq,
    IReadOnlyList<OutboundAccepted> RecentOutbound,
    IReadOnlyList<OutboundStatusChanged> RecentStatuses,
    IReadOnlyList<InboundReceived> RecentInbound,
    IReadOnlyList<OutboundSnapshot> Outbound,
    IReadOnlyList<string> ClientRefs,
    IReadOnlyList<string> InboundSids,
    IReadOnlyList<OptOutPair> OptedOut,
    IReadOnlyList<ConversationSnapshot> Conversations,
    IReadOnlyList<BroadcastProgressed>? RecentBroadcasts = null,
    string? ClientRefWindow = null,
    string? InboundSidWindow = null) : IStoredState;

/// <summary>One remembered outbound message and how far it got; <see cref="Reconciling"/> while it is looked up at the provider.</summary>
public sealed record OutboundSnapshot(
    OutboundAccepted Accepted, MessageStatus Status, bool Dispatched, bool OutcomeUnknown, string? ProviderSid, bool Reconciling = false);

public sealed record OptOutPair(string Sender, string Client);

/// <summary>One conversation: its newest message (one of the two) and the unread inbound seqs.</summary>
public sealed record ConversationSnapshot(
    string ClientNumber, OutboundAccepted? LastOutbound, InboundReceived? LastInbound, MessageStatus? LastStatus, IReadOnlyList<long> Unread);
