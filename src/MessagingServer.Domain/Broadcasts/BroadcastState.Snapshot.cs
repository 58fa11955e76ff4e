namespace MessagingServer.Domain.Broadcasts;

/// <summary>The state to and from its stored snapshot (<see cref="BroadcastSnapshot"/>; its shape is persisted).</summary>
public sealed partial class BroadcastState
{
    /// <summary>The snapshot of a ready broadcast; null before every part of its recipient list is in (nothing to save yet).</summary>
    public BroadcastSnapshot? ToSnapshot()
    {
        if (!IsReady)
        {
            return null;
        }

        var outcomes = string.Create(_outcomes.Length, _outcomes, static (chars, outcomes) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = BroadcastSnapshot.CodeFor(outcomes[i]);
            }
        });
        return new BroadcastSnapshot(Created!, [.. _recipients], outcomes, IsCancelled, [.. _pendingAtCancel.Order()], IsClosed);
    }

    /// <summary>
    /// The state a snapshot describes. A recipient the snapshot does not settle (a short or unreadable outcome string)
    /// counts as not settled: it is handed again under its clientRef, which the session answers with its first send.
    /// </summary>
    public static BroadcastState FromSnapshot(BroadcastSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new BroadcastState { Created = snapshot.Created };
        for (var part = 0; part < snapshot.Created.Parts; part++)
        {
            state._partsIn.Add(part);
        }

        state._recipients.AddRange(snapshot.Recipients);
        state._outcomes = new BroadcastOutcome?[state._recipients.Count];
        for (var i = 0; i < state._outcomes.Length && i < snapshot.Outcomes.Length; i++)
        {
            switch (state._outcomes[i] = BroadcastSnapshot.OutcomeFor(snapshot.Outcomes[i]))
            {
                case BroadcastOutcome.Sent:
                    state.Sent++;
                    break;
                case BroadcastOutcome.Failed:
                    state.Failed++;
                    break;
                case BroadcastOutcome.Skipped:
                    state.Skipped++;
                    break;
            }
        }

        state.IsCancelled = snapshot.Cancelled;
        if (snapshot.Cancelled)
        {
            state._pendingAtCancel.UnionWith(snapshot.PendingAtCancel.Where(i => i >= 0 && i < state._outcomes.Length && state._outcomes[i] is null));
        }

        state.IsClosed = snapshot.Closed;
        return state;
    }
}
