using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>The state to and from its stored snapshot (<see cref="ChatSessionSnapshot"/>; its shape is persisted).</summary>
public sealed partial class ChatSessionState
{
    public ChatSessionSnapshot ToSnapshot() => new(
        UserId,
        LastSeq,
        AckedSeq,
        _recent.OfType<OutboundAccepted>().ToList(),
        _recent.OfType<OutboundStatusChanged>().ToList(),
        _recent.OfType<InboundReceived>().ToList(),
        _outbound.InOrder
            .Select(r => new OutboundSnapshot(r.Accepted, r.Status, r.Dispatched, r.OutcomeUnknown, r.ProviderSid, r.Reconciling)).ToList(),
        [],
        [],
        _optedOut.Select(p => new OptOutPair(p.Sender, p.Client)).ToList(),
        _conversations.ToSnapshot().ToList(),
        _recent.OfType<BroadcastProgressed>().ToList(),
        KeyWindow.Encode(_outbound.ClientRefsInOrder),
        KeyWindow.Encode(_inboundSids.InOrder));

    /// <summary>The state a snapshot describes; the send budget starts full (it is not stored).</summary>
    public static ChatSessionState FromSnapshot(ChatSessionSnapshot snapshot, SessionLimits? limits = null, SendRate? sendRate = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new ChatSessionState(snapshot.UserId, limits, sendRate)
        {
            LastSeq = snapshot.LastSeq,
            AckedSeq = snapshot.AckedSeq,
        };
        state._recent.AddRange(snapshot.RecentOutbound.Cast<ISequencedEvent>().Concat(snapshot.RecentStatuses).Concat(snapshot.RecentInbound)
            .Concat(snapshot.RecentBroadcasts ?? []).OrderBy(e => e.Seq));
        state._outbound.Restore(snapshot.Outbound, Window(snapshot.ClientRefWindow), snapshot.ClientRefs);
        foreach (var entry in Window(snapshot.InboundSidWindow))
        {
            state._inboundSids.Add(entry);
        }

        // Written before the window was compact: the SIDs as text, with no time; they count from the snapshot's newest event.
        var newest = state._recent.Count > 0 ? state._recent.Max(e => e.At) : DateTimeOffset.MinValue;
        foreach (var sid in snapshot.InboundSids)
        {
            state._inboundSids.Add(sid, 0, newest);
        }

        foreach (var pair in snapshot.OptedOut)
        {
            state._optedOut.Add((pair.Sender, pair.Client));
        }

        state._conversations.Restore(snapshot.Conversations);
        return state;
    }

    private static IReadOnlyList<KeyWindow.Entry> Window(string? encoded) => encoded is null ? [] : KeyWindow.Decode(encoded);
}
