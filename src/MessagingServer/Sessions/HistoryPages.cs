using Akka.Actor;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Sessions;

/// <summary>
/// Reads up to <c>limit</c> stored events from a session, asking again from the last one received while the
/// session's reply was cut short to fit in one remote message (see <c>EventBatchBudget</c>).
/// </summary>
public static class HistoryPages
{
    /// <summary>The events after <paramref name="since"/>, oldest first, at most <paramref name="limit"/>; null when the session does not answer.</summary>
    public static async Task<IReadOnlyList<ISequencedEvent>?> ReadAsync(
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

            events.AddRange(page.Events);
            // A page that reaches the session's last event is the end; a shorter one was cut to fit in a message.
            if (page.Events.Count == 0 || page.Events[^1].Seq >= page.LastSeq)
            {
                break;
            }

            since = page.Events[^1].Seq;
        }

        return events;
    }
}
