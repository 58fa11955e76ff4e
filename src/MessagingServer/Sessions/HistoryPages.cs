using Akka.Actor;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Sessions;

/// <summary>
/// Reads up to <c>limit</c> stored events from a session, asking again from the last one received while the
/// session's reply was cut short to fit in one remote message (see <c>EventBatchBudget</c>).
/// </summary>
public static class HistoryPages
{
    /// <summary>
    /// The events after <paramref name="since"/>, oldest first, at most <paramref name="limit"/>; null when the
    /// session does not answer. When the rest is older than the session's memory, <see cref="HistoryRead.JournalAfter"/>
    /// says where the caller goes on reading the journal, up to <see cref="HistoryRead.LastSeq"/>.
    /// </summary>
    public static async Task<HistoryRead?> ReadAsync(
        IActorRef sessions, string userId, long since, int limit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var events = new List<ISequencedEvent>();
        while (events.Count < limit)
        {
            var page = await sessions.AskOrAsync<History?>(
                new ChatSessionCommands.GetHistory(userId, since, limit - events.Count), timeout, null, cancellationToken);
            if (page is null)
            {
                return null;
            }

            if (page.FromJournal)
            {
                return new HistoryRead(events, page.LastSeq, JournalAfter: since);
            }

            events.AddRange(page.Events);
            // A page that reaches the session's last event is the end; a shorter one was cut to fit in a message.
            if (page.Events.Count == 0 || page.Events[^1].Seq >= page.LastSeq)
            {
                return new HistoryRead(events, page.LastSeq, JournalAfter: null);
            }

            since = page.Events[^1].Seq;
        }

        return new HistoryRead(events, events[^1].Seq, JournalAfter: null);
    }
}

/// <summary>Events read from a session, and where the journal takes over if the rest is older than its memory.</summary>
public sealed record HistoryRead(IReadOnlyList<ISequencedEvent> Events, long LastSeq, long? JournalAfter);
