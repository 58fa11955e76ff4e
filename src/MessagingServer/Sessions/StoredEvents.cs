using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams.Dsl;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Sessions;

/// <summary>
/// A user's stored events, read from the journal with Akka.Persistence.Query's SQL read journal: for a device
/// further behind than its session keeps in memory, and for history pages older than memory. Nothing here
/// recovers an actor: the session stays the only one with its persistence id.
/// </summary>
/// <remarks>
/// Events covered by a snapshot are still in the journal (sessions delete old snapshots, never events), so every
/// event is found however old. Journal sequence numbers also count the session's records that are not shown
/// (dispatch records, acks, opt-outs), so the event with seq <c>S</c> is at journal sequence number <c>S</c> or
/// later: a read after <c>S</c> starts at <c>S + 1</c> and skips at most those records.
/// </remarks>
public sealed class StoredEvents(ActorSystem system)
{
    /// <summary>The read journal that Akka.Persistence.Sql.Hosting sets up beside the default journal.</summary>
    public static readonly string QueryPluginId = SqlReadJournal.Identifier;

    /// <summary>
    /// <paramref name="userId"/>'s events with seq above <paramref name="after"/>, oldest first, as stored when the
    /// source is run; it completes at the end of the journal and fails when the journal cannot be read.
    /// </summary>
    public Source<ISequencedEvent, NotUsed> After(string userId, long after) =>
        PersistenceQuery.Get(system)
            .ReadJournalFor<ICurrentEventsByPersistenceIdQuery>(QueryPluginId)
            .CurrentEventsByPersistenceId(ChatSessionActor.PersistenceIdFor(userId), Math.Max(0, after) + 1, long.MaxValue)
            .Collect(e => e.Event is ISequencedEvent stored && stored.Seq > after, e => (ISequencedEvent)e.Event);
}
