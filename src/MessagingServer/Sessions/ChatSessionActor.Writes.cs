using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Sessions;

/// <summary>The session's write path: store before showing, snapshots, failed writes, and stopping once settled.</summary>
public sealed partial class ChatSessionActor
{
    /// <summary>Applies a visible event now (so later commands see it), stores it, and only then shows it.</summary>
    private void Store(ISequencedEvent e, IActorRef? replyTo = null, object? onFailure = null, Action? afterStored = null)
    {
        _state.Apply(e);
        if (replyTo is not null && onFailure is not null)
        {
            _owed.Enqueue((replyTo, onFailure));
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Write(e, stored =>
        {
            _metrics.JournalWrite(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            _metrics.EventOut(EventType(stored));
            if (replyTo is not null && onFailure is not null)
            {
                _owed.Dequeue();
            }

            _storedSeq = stored.Seq;
            var frame = ToFrame(stored);
            foreach (var subscriber in _subscribers.Keys)
            {
                subscriber.Tell(frame);
            }

            afterStored?.Invoke();
        });
    }

    /// <summary>Stores one of a decision's events: a visible one is shown once stored; any other is applied and written.</summary>
    private void Record(ISessionEvent e)
    {
        if (e is ISequencedEvent visible)
        {
            Store(visible);
            return;
        }

        _state.Apply(e);
        Write(e, _ => { });
    }

    /// <summary>
    /// Persists without holding back commands (writes batch up in the journal), and snapshots when due: after
    /// <c>SnapshotEvery</c> events, and never before as many events as the snapshot holds records, so that a
    /// snapshot of a big session costs at most about one stored record per event (it holds up to
    /// <c>CachedEvents</c> recent events plus the remembered sends; taking it every 1,000 events cost several
    /// KB per event) while recovery still replays at most that many events after it.
    /// </summary>
    private void Write<TEvent>(TEvent e, Action<TEvent> afterStored)
        where TEvent : ISessionEvent
    {
        _pendingWrites++;
        PersistAsync(e, stored =>
        {
            _pendingWrites--;
            afterStored(stored);
            StopWhenSettled();
            if (_pendingWrites == 0 && LastSequenceNr - _lastSnapshotAt >= Math.Max(_snapshotEvery, _state.SnapshotRecords))
            {
                _lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(_state.ToSnapshot());
            }
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "Storing an event for {UserId} failed; the session stops and recovers on next use", UserId);
        AnswerOwed();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>
    /// The journal refused an event (it could not be stored, e.g. not serialized) but the journal itself works. The
    /// event is already applied in memory, and a send's dispatch record may still be stored after it: restart, so
    /// that the session goes on from what is stored and never shows, reuses or dispatches what was refused.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "The journal rejected {EventType} at {SequenceNr} for {UserId}; the session restarts from what is stored",
            @event.GetType().Name, sequenceNr, UserId);
        AnswerOwed();
        throw new StoredEventRejectedException(UserId, cause);
    }

    private void AnswerOwed()
    {
        while (_owed.TryDequeue(out var owed))
        {
            owed.ReplyTo.Tell(owed.OnFailure);
        }

        AnswerRepeatsWaiting();
    }

    private void UpdateIdleTimer() =>
        Context.SetReceiveTimeout(_subscribers.Count == 0 && _awaiting.Count == 0 && _lookupsAsked.Count == 0 ? _options.SessionIdleTimeout : null);

    /// <summary>Idle: ask the shard to stop this session; it buffers whatever arrives meanwhile and starts it again for it.</summary>
    private void RequestPassivation()
    {
        if (_subscribers.Count == 0 && _awaiting.Count == 0 && _lookupsAsked.Count == 0)
        {
            Context.Parent.Tell(new Passivate(StopSession.Instance));
        }
    }

    /// <summary>
    /// Stops once no write is pending and no repeat waits for one, so that no acknowledged write is cut short. Sends still with their sender are
    /// not waited for: their answers reach the session's successor through the region (and it asks again for them).
    /// Sockets still subscribed (a hand-off) are told the session ended and reconnect through the region.
    /// </summary>
    private void StopWhenSettled(bool requested = false)
    {
        _stopping |= requested;
        if (_stopping && _pendingWrites == 0 && _repeatsWaiting.Count == 0 && _consent.IsIdle)
        {
            Context.Stop(Self);
        }
    }
}
